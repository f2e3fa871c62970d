import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CardFactory,
  INVOKE_RESPONSE_KEY,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type AppBasedLinkQuery,
  type BotHandler,
  type InvokeResponse,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
} from 'botbuilder';
import { errorView } from '../app/error-view';
import type { AccountLookup } from '../app/account-lookup';
import type { AccountCardView, View } from '../app/views';
import { DirectoryUnavailableError, SwitchboardError, TenantNotAllowedError } from '../domain/errors';
import type { Position } from '../domain/navigation';
import { afterVisit, recentsFrom } from '../domain/recents';
import { isTimeZone } from '../domain/trials';
import { errorForLog } from '../log-error';
import { actionFromInvoke, actionFromSubmit, isRecord, type ActionRequest } from './action-request';
import { withSubmitFallbacks, type Card, type CardRenderer } from './card-renderer';
import { callerOf } from './caller';
import { ConversationPlaces } from './conversation-places';
import { NoticeSubscribers } from './notice-subscribers';
import { parseCommand, stripMentions } from './commands';
import type { ActionRouter, Logger } from './router';
import { VERBS } from './verbs';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const VERB = Symbol('switchboard.verb');

export interface TurnLogger extends Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface BotDependencies {
  readonly router: ActionRouter;
  readonly lookup: AccountLookup;
  readonly renderer: CardRenderer;
  /** Each admin's place in each conversation (conversation-places.ts). */
  readonly places: ConversationPlaces;
  readonly log: TurnLogger;
  /** Lower-cased tenant ids allowed to use the bot; empty allows all. */
  readonly allowedTenants: readonly string[];
  /** Where personal chats are remembered for notices (none: nothing is remembered). */
  readonly subscribers?: NoticeSubscribers;
}

/** Compose-box search results per query: Teams shows a short list, and must answer within 5 s. */
const SEARCH_RESULTS = 10;
/** Choices one typeahead answer offers. */
const TYPEAHEAD_RESULTS = 15;

/** What registering an onTurn, onMessage or onDialog handler throws: dispatch() would skip it. */
const HANDLED_IN_DISPATCH = 'SwitchboardBot answers messages and card actions in dispatch(): add to it rather than registering a handler.';

/**
 * The Teams edge: turns activities into action requests, runs them through the router, and
 * answers with cards. Typed commands arrive as messages and get a new card. Action.Execute
 * arrives as an `adaptiveCard/action` invoke and replaces the card in place; Action.Submit
 * arrives as a message with `value` and replaces the card it came from (`replyToId`) through
 * the connector, or gets a new card when that fails.
 * The admin's position and recently visited accounts are kept per conversation and per user
 * (conversation-places.ts).
 */
export class SwitchboardBot extends TeamsActivityHandler {
  private readonly allowedTenants: ReadonlySet<string>;
  private readonly router: ActionRouter;
  private readonly lookup: AccountLookup;
  private readonly renderer: CardRenderer;
  private readonly places: ConversationPlaces;
  private readonly log: TurnLogger;
  private readonly subscribers: NoticeSubscribers | undefined;

  constructor(deps: BotDependencies) {
    super();
    ({ router: this.router, lookup: this.lookup, renderer: this.renderer, places: this.places, log: this.log } = deps);
    this.allowedTenants = new Set(deps.allowedTenants);
    this.subscribers = deps.subscribers;

    this.onMembersAdded(async (context, next) => {
      // Greet when the bot itself is added (installed in a chat), not whenever someone joins a group.
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botAdded) {
        // The welcome is the help card, as if "help" had been typed.
        const result = await this.router.route({ verb: 'help', data: {}, source: { kind: 'typed', command: 'help' } }, callerOf(context.activity), undefined);
        const view = result.view.view === 'help' ? { ...result.view, welcome: true } : result.view;
        await context.sendActivity(this.cardMessage(view));
      }
      await next();
    });
  }

  /**
   * One turn: refuse other tenants before anything else happens, run the handlers, save the
   * position, and log one line with ids, type, verb and latency (never text or card data).
   */
  override async run(context: TurnContext): Promise<void> {
    const started = performance.now();
    const { activity } = context;
    const correlationId = activity.id ?? randomUUID();
    const tenantId = callerOf(activity)?.tenantId ?? activity.conversation?.tenantId;
    const turn = { correlationId, activityType: activity.type, name: activity.name, tenantId, userId: activity.from?.aadObjectId };
    if (this.allowedTenants.size > 0 && !(tenantId && this.allowedTenants.has(tenantId.toLowerCase()))) {
      this.log.warn(turn, 'tenant not allowed');
      await this.refuse(context);
      return;
    }
    await this.notePersonalChat(context, turn);
    await this.dispatch(context);
    try {
      await this.places.save(context);
    } catch (err) {
      // The answer has gone out; losing this move only means the admin starts from their last saved place.
      this.log.error({ ...turn, err: errorForLog(err) }, 'could not save the position');
    }
    this.log.info({ ...turn, verb: context.turnState.get(VERB), latencyMs: Math.round((performance.now() - started) * 10) / 10 }, 'turn');
  }

  /**
   * Messages and card actions, nearly every turn there is, are answered here as botbuilder's
   * ActivityHandler would answer them (Switchboard registers no turn or dialog handlers); every
   * other activity goes through it. Its dispatch is several layers of generator-based async code
   * (`__awaiter`) on every turn; answering here made where am i and the page of 5,000 about 15%
   * faster in the bench.
   */
  private async dispatch(context: TurnContext): Promise<void> {
    // onTurn, onMessage and onDialog handlers would not run here: registering one throws (below).
    const { type, name } = context.activity;
    if (type === ActivityTypes.Message) {
      await this.answerMessage(context);
    } else if (type === ActivityTypes.Invoke && name === 'adaptiveCard/action') {
      const response = await this.onInvokeActivity(context);
      if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
    } else {
      await super.run(context);
    }
  }

  override onTurn(_handler: BotHandler): this {
    throw new Error(HANDLED_IN_DISPATCH);
  }

  override onMessage(_handler: BotHandler): this {
    throw new Error(HANDLED_IN_DISPATCH);
  }

  override onDialog(_handler: BotHandler): this {
    throw new Error(HANDLED_IN_DISPATCH);
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const request = this.messageRequest(context);
    const view = await this.runAction(context, request);
    const message = this.cardMessage(view, this.refreshFor(view, context));
    // A button pressed on one of Switchboard's cards (Action.Submit) changes that card, as an
    // Action.Execute does; typed commands always get a new card.
    const pressedOn = request.source.kind === 'submit' ? context.activity.replyToId : undefined;
    if (!pressedOn || !(await this.updateCard(context, pressedOn, message))) await context.sendActivity(message);
  }

  /**
   * Remembers (or, on uninstall, forgets) the admin's personal chat, for notices. Installs,
   * removals and every personal message count; group chats and channels never do. What was last
   * recorded is kept in the conversation's own state (read for the position anyway), so only a
   * new or changed chat costs a write. A failure here only delays notices: the turn goes on.
   */
  private async notePersonalChat(context: TurnContext, turn: Record<string, unknown>): Promise<void> {
    const { activity } = context;
    const caller = callerOf(activity);
    if (!this.subscribers || !caller || activity.conversation?.conversationType !== 'personal') return;
    const botId = activity.recipient?.id;
    const removed =
      (activity.type === ActivityTypes.InstallationUpdate && String(activity.action ?? '').startsWith('remove')) ||
      (activity.type === ActivityTypes.ConversationUpdate && (activity.membersRemoved ?? []).some((m) => m.id === botId));
    try {
      if (removed) {
        await this.subscribers.forget(caller);
        await this.places.delete(context, 'noticeChat');
        return;
      }
      const counts = [ActivityTypes.Message, ActivityTypes.Invoke, ActivityTypes.InstallationUpdate, ActivityTypes.ConversationUpdate].includes(activity.type as ActivityTypes);
      const reference = counts ? NoticeSubscribers.referenceOf(activity) : undefined;
      if (!reference) return;
      // The digest comes at the admin's own time of day: Teams names their time zone on messages.
      const timeZone = isTimeZone(activity.localTimezone) ? activity.localTimezone : undefined;
      const recorded = JSON.stringify(timeZone ? [reference, timeZone] : reference);
      // The chat last recorded is kept with the position: an unchanged chat costs no write.
      if ((await this.places.get(context, 'noticeChat')) === recorded) return;
      await this.subscribers.remember(caller, reference, timeZone);
      await this.places.set(context, 'noticeChat', recorded);
    } catch (err) {
      this.log.warn({ ...turn, err: errorForLog(err) }, 'could not remember the personal chat for notices');
    }
  }

  private async refuse(context: TurnContext): Promise<void> {
    const view = errorView(new TenantNotAllowedError());
    if (context.activity.type === ActivityTypes.Invoke) {
      const body = { statusCode: 200, type: CARD_CONTENT_TYPE, value: this.renderer.render(view) };
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    } else if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(this.cardMessage(view));
    }
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      let request: ActionRequest;
      try {
        request = actionFromInvoke(context.activity.value);
      } catch {
        request = { verb: 'malformed', data: {}, source: { kind: 'execute' } };
      }
      const view = await this.runAction(context, request);
      const card = withRefresh(this.renderer.render(view), this.refreshFor(view, context));
      return { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } };
    }
    if (context.activity.name === 'application/search') return this.typeahead(context);
    const badRequest = { status: 400, body: { error: 'BadRequest', message: `Switchboard does not handle this "${String(context.activity.name).slice(0, 60)}" invoke.` } };
    try {
      const response = await super.onInvokeActivity(context);
      // botbuilder answers invokes nobody handles with 501; it is the request that is unsupported.
      return response.status === 501 ? badRequest : response;
    } catch (err) {
      this.log.warn({ correlationId: context.activity.id, name: context.activity.name, err: errorForLog(err) }, 'invoke refused');
      return badRequest;
    }
  }

  /**
   * The switch picker's typeahead (Data.Query, dataset "scopes") when an admin has too many
   * accounts for static choices: their own scope roots whose name or path contains the text.
   */
  private async typeahead(context: TurnContext): Promise<InvokeResponse> {
    context.turnState.set(VERB, 'typeahead');
    const value = isRecord(context.activity.value) ? context.activity.value : {};
    const text = typeof value.queryText === 'string' ? value.queryText.slice(0, 200) : '';
    const caller = callerOf(context.activity);
    const results = value.dataset === 'scopes' && caller ? await this.lookup.scopeChoices(caller, text, TYPEAHEAD_RESULTS).catch(() => []) : [];
    return {
      status: 200,
      body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results: results.map((c) => ({ title: c.brandName === c.title ? c.title : `${c.title} · ${c.brandName}`, value: c.id })) } },
    };
  }

  /** "Find account" in the compose box: account cards the person typing may see, to share in the chat. */
  protected override async handleTeamsMessagingExtensionQuery(context: TurnContext, query: MessagingExtensionQuery): Promise<MessagingExtensionResponse> {
    context.turnState.set(VERB, 'findAccount');
    const caller = callerOf(context.activity);
    const text = query?.parameters?.find((p) => p.name === 'query')?.value;
    if (!caller || typeof text !== 'string') return this.extensionResult([]);
    try {
      return this.extensionResult(await this.lookup.search(caller, text, SEARCH_RESULTS));
    } catch (error) {
      return { composeExtension: { type: 'message', text: errorView(error).title } };
    }
  }

  /** A pasted portal URL unfurls into the account's card, or into nothing if the caller may not see it. */
  protected override async handleTeamsAppBasedLinkQuery(context: TurnContext, query: AppBasedLinkQuery): Promise<MessagingExtensionResponse> {
    context.turnState.set(VERB, 'unfurl');
    const caller = callerOf(context.activity);
    try {
      const card = caller && typeof query?.url === 'string' ? await this.lookup.unfurl(caller, query.url) : undefined;
      return this.extensionResult(card ? [card] : []);
    } catch (error) {
      this.log.error({ err: errorForLog(error) }, 'unfurl failed');
      return this.extensionResult([]);
    }
  }

  private extensionResult(cards: readonly AccountCardView[]): MessagingExtensionResponse {
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: cards.map((view) => ({
          ...CardFactory.adaptiveCard(this.renderer.render(view)),
          preview: CardFactory.thumbnailCard(view.account.name, `${view.account.kindLabel} · ${view.breadcrumbText}`),
        })),
      },
    };
  }

  /** A typed command (mentions stripped) or an Action.Submit payload. Every message gets an answer. */
  private messageRequest(context: TurnContext): ActionRequest {
    const { value } = context.activity;
    const submitted = actionFromSubmit(value);
    if (submitted) return submitted;
    if (value !== undefined && value !== null) return { verb: 'malformed', data: {}, source: { kind: 'submit' } };
    const text = stripMentions(TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '');
    // A message with no text (a sticker, an image) gets the list of commands.
    return text ? parseCommand(text) : { verb: 'help', data: {}, source: { kind: 'typed', command: '' } };
  }

  private async runAction(context: TurnContext, request: ActionRequest): Promise<View> {
    context.turnState.set(VERB, request.verb);
    let before: Position | undefined;
    let recents: string[];
    try {
      before = await this.places.get(context, 'position');
      recents = recentsFrom(await this.places.get(context, 'recentAccounts'));
    } catch (err) {
      this.log.error({ correlationId: context.activity.id, err: errorForLog(err) }, 'could not read the position');
      return errorView(err instanceof SwitchboardError ? err : new DirectoryUnavailableError(err));
    }
    const result = await this.router.route(request, callerOf(context.activity), before, recents);
    if (result.position) {
      await this.places.set(context, 'position', result.position);
      await this.places.set(context, 'recentAccounts', afterVisit(recents, result.position.accountId));
    }
    return result.view;
  }

  /** Replaces the card `activityId` through the connector; false (logged) when the connector refuses or cannot be reached. */
  private async updateCard(context: TurnContext, activityId: string, message: Partial<Activity>): Promise<boolean> {
    try {
      await context.updateActivity({ ...message, id: activityId });
      return true;
    } catch (err) {
      this.log.warn({ correlationId: context.activity.id, err: errorForLog(err) }, 'could not update the card in place; sending a new card');
      return false;
    }
  }

  /** No refresh on submit-only cards: Teams' automatic refresh is an Action.Execute. */
  private refreshFor(view: View, context: TurnContext): Refresh | undefined {
    return this.renderer.cardActions === 'submit' ? undefined : refreshFor(view, context);
  }

  private cardMessage(view: View, refresh?: Refresh) {
    const message = MessageFactory.attachment(CardFactory.adaptiveCard(withRefresh(this.renderer.render(view), refresh)));
    message.type = ActivityTypes.Message;
    return message;
  }
}

interface Refresh {
  readonly action: { readonly type: 'Action.Execute'; readonly verb: string; readonly data: Record<string, unknown> };
  readonly userIds: readonly string[];
}

/**
 * In group chats and channels a card shows one admin's view. Teams refreshes it automatically
 * for that admin only (userIds), re-reading with the same read-only verb (the verb table's
 * `refresh`); anyone else who clicks its buttons acts as themselves. Personal chats need no
 * refresh, and state-changing views never get one.
 */
function refreshFor(view: View, context: TurnContext): Refresh | undefined {
  const type = context.activity.conversation?.conversationType;
  const userId = context.activity.from?.id;
  if (!userId || !type || type === 'personal') return undefined;
  const refresh = VERBS.refresh(view);
  return refresh ? { action: { type: 'Action.Execute', verb: refresh.verb, data: { ...refresh.data } }, userIds: [userId] } : undefined;
}

function withRefresh(card: Card, refresh: Refresh | undefined): Card {
  return refresh ? { ...card, refresh: { ...refresh, action: withSubmitFallbacks({ ...refresh.action }) } } : card;
}
