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
import type { View } from '../app/views';
import type { Position } from '../domain/navigation';
import { actionFromInvoke, actionFromSubmit, isRecord, type ActionRequest } from './action-request';
import type { CardRenderer } from './card-renderer';
import { callerOf } from './caller';
import { parseCommand, stripMentions } from './commands';
import type { ActionRouter, Logger } from './router';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * The Teams edge: turns activities into action requests, runs them through the router, and
 * answers with cards. Typed commands and Action.Submit arrive as messages and get a new card;
 * Action.Execute arrives as an `adaptiveCard/action` invoke and replaces the card in place.
 * The admin's position lives in private conversation state (per conversation and per user).
 */
export class SwitchboardBot extends TeamsActivityHandler {
  private readonly position: StatePropertyAccessor<Position | undefined>;

  constructor(
    private readonly router: ActionRouter,
    private readonly renderer: CardRenderer,
    private readonly state: BotState,
    private readonly logger: Logger,
  ) {
    super();
    this.position = state.createProperty<Position | undefined>('position');

    this.onMessage(async (context, next) => {
      const request = this.messageRequest(context);
      if (request) await context.sendActivity(await this.answer(context, request));
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

  /** Saves the position after every turn, whatever the turn did. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context, false);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      let request: ActionRequest;
      try {
        request = actionFromInvoke(context.activity.value);
      } catch {
        request = { verb: 'malformed', data: {} };
      }
      const card = await this.answerCard(context, request);
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

  private async answer(context: TurnContext, request: ActionRequest) {
    return this.cardMessage(await this.runAction(context, request));
  }

  private async answerCard(context: TurnContext, request: ActionRequest) {
    return this.renderer.render(await this.runAction(context, request));
  }

  private async runAction(context: TurnContext, request: ActionRequest): Promise<View> {
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
