import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type BotState,
  type InvokeResponse,
  type StatePropertyAccessor,
} from 'botbuilder';
import { errorView } from '../app/error-view';
import type { View } from '../app/views';
import { TenantNotAllowedError } from '../domain/errors';
import type { Position } from '../domain/navigation';
import { actionFromInvoke, actionFromSubmit, isRecord, type ActionRequest } from './action-request';
import type { CardRenderer } from './card-renderer';
import { callerOf } from './caller';
import { parseCommand, stripMentions } from './commands';
import type { ActionRouter, Logger } from './router';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const VERB = Symbol('switchboard.verb');

export interface TurnLogger extends Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface BotOptions {
  /** Lower-cased tenant ids allowed to use the bot; empty allows all. */
  readonly allowedTenants: readonly string[];
}

/**
 * The Teams edge: turns activities into action requests, runs them through the router, and
 * answers with cards. Typed commands and Action.Submit arrive as messages and get a new card;
 * Action.Execute arrives as an `adaptiveCard/action` invoke and replaces the card in place.
 * The admin's position lives in private conversation state (per conversation and per user).
 */
export class SwitchboardBot extends TeamsActivityHandler {
  private readonly position: StatePropertyAccessor<Position | undefined>;
  private readonly allowedTenants: ReadonlySet<string>;

  constructor(
    private readonly router: ActionRouter,
    private readonly renderer: CardRenderer,
    private readonly state: BotState,
    private readonly log: TurnLogger,
    options: BotOptions,
  ) {
    super();
    this.position = state.createProperty<Position | undefined>('position');
    this.allowedTenants = new Set(options.allowedTenants);

    this.onMessage(async (context, next) => {
      const request = this.messageRequest(context);
      if (request) await context.sendActivity(this.cardMessage(await this.runAction(context, request)));
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      // Greet when the bot itself is added (installed in a chat), not whenever someone joins a group.
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botAdded) {
        const result = await this.router.route({ verb: 'help', data: {} }, callerOf(context.activity), undefined);
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
    await super.run(context);
    await this.state.saveChanges(context, false);
    this.log.info({ ...turn, verb: context.turnState.get(VERB), latencyMs: Math.round((performance.now() - started) * 10) / 10 }, 'turn');
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
        request = { verb: 'malformed', data: {} };
      }
      const card = this.renderer.render(await this.runAction(context, request));
      return { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } };
    }
    return super.onInvokeActivity(context);
  }

  /** A typed command (mentions stripped) or an Action.Submit payload; undefined for empty messages. */
  private messageRequest(context: TurnContext): ActionRequest | undefined {
    const submitted = actionFromSubmit(context.activity.value);
    if (submitted) return submitted;
    if (isRecord(context.activity.value)) return { verb: 'malformed', data: {} };
    const text = stripMentions(TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '');
    return text ? parseCommand(text) : undefined;
  }

  private async runAction(context: TurnContext, request: ActionRequest): Promise<View> {
    context.turnState.set(VERB, request.verb);
    const before = await this.position.get(context);
    const result = await this.router.route(request, callerOf(context.activity), before);
    if (result.position) await this.position.set(context, result.position);
    return result.view;
  }

  private cardMessage(view: View) {
    const message = MessageFactory.attachment(CardFactory.adaptiveCard(this.renderer.render(view)));
    message.type = ActivityTypes.Message;
    return message;
  }
}
