import { ActivityTypes, BotCallbackHandlerKey, CloudAdapter, DeliveryModes, INVOKE_RESPONSE_KEY, StatusCodes, type Activity, type TurnContext, type InvokeResponse, type Middleware, type MiddlewareHandler, type ResourceResponse } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { NOT_AUTHENTICATED } from './fail-closed-authentication';
import { SwitchboardTurnContext } from './switchboard-turn-context';

/** What goes back to the channel for one request. */
export interface ChannelAnswer {
  readonly status: number;
  /** The invoke response or expected replies; undefined for an empty body. */
  readonly body?: unknown;
}

/**
 * CloudAdapter with the HTTP glue and the turn pipeline of our own.
 * - `CloudAdapter.process` re-validates a body the server has already checked (activity-shape.ts)
 *   with zod schemas it builds on every request, copying the activity twice, and answers any
 *   failure with the library's message. Here a refused token gets the one short 401 body, and any
 *   other failure is the caller's to log and answer (with nothing of the error in it).
 * - The turn itself is `CloudAdapterBase.processActivity`'s steps in native async code, on a
 *   SwitchboardTurnContext (see there for why), without the library's revocable proxy around
 *   the context. Switchboard registers no adapter middleware, so the turn runs the bot's logic
 *   directly; `use` refuses any.
 */
export class SwitchboardAdapter extends CloudAdapter {
  async answer(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<ChannelAnswer> {
    try {
      const response = await this.runTurn(authHeader, withTimestamps(activity), logic);
      return { status: response?.status ?? 200, body: response?.body };
    } catch (error) {
      if (error instanceof AuthenticationError) return { status: 401, body: { error: 'Unauthorized', message: NOT_AUTHENTICATED } };
      throw error;
    }
  }

  override use(...middlewares: Array<MiddlewareHandler | Middleware>): this {
    throw new Error(`SwitchboardAdapter runs no middleware (${middlewares.length} given): answer() runs the bot's logic directly.`);
  }

  /**
   * An invoke response is kept on the context, as CloudAdapterBase.sendActivities keeps it (without
   * its generator-based loop: see SwitchboardTurnContext); anything for the connector goes through it.
   */
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const only = activities.length === 1 ? activities[0] : undefined;
    if (only?.type !== ActivityTypes.InvokeResponse) return super.sendActivities(context, activities);
    delete only.id;
    context.turnState.set(INVOKE_RESPONSE_KEY, only);
    return [{ id: '' }];
  }

  /** What CloudAdapterBase.processActivity does for a request with an auth header. */
  private async runTurn(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    (activity as { callerId?: string }).callerId = auth.callerId;
    const connectorClient = await auth.connectorFactory?.create(activity.serviceUrl, auth.audience);
    if (!connectorClient) throw new Error('Unable to extract ConnectorClient from turn context.');
    const userTokenClient = await this.botFrameworkAuthentication.createUserTokenClient(auth.claimsIdentity);
    const context = new SwitchboardTurnContext(this, activity);
    context.turnState.set(this.BotIdentityKey, auth.claimsIdentity);
    context.turnState.set(this.ConnectorClientKey, connectorClient);
    context.turnState.set(this.UserTokenClientKey, userTokenClient);
    context.turnState.set(BotCallbackHandlerKey, logic);
    context.turnState.set(this.ConnectorFactoryKey, auth.connectorFactory);
    context.turnState.set(this.OAuthScopeKey, auth.audience);
    if (activity.locale) context.locale = activity.locale;
    try {
      await logic(context);
    } catch (error) {
      if (!this.onTurnError) throw error;
      await this.onTurnError(context, error as Error);
    }
    // The turn's results, as processTurnResults leaves them on the context.
    if (activity.deliveryMode === DeliveryModes.ExpectReplies) return { status: StatusCodes.OK, body: { activities: context.bufferedReplyActivities } };
    if (activity.type === ActivityTypes.Invoke) {
      const sent = context.turnState.get(INVOKE_RESPONSE_KEY) as Partial<Activity> | undefined;
      return sent ? (sent.value as InvokeResponse) : { status: StatusCodes.NOT_IMPLEMENTED };
    }
    return undefined;
  }
}

/** As botbuilder's activity validator leaves them: timestamps as Dates, the sent text kept beside each. */
function withTimestamps(activity: Activity): Activity {
  const raw = activity as Activity & Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = raw[field];
    if (typeof value === 'string') {
      raw[rawField] = value;
      raw[field] = new Date(value);
    }
  }
  return activity;
}
