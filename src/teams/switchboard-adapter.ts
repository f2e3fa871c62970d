import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import { NOT_AUTHENTICATED } from './fail-closed-authentication';

/** What goes back to the channel for one request. */
export interface ChannelAnswer {
  readonly status: number;
  /** The invoke response or expected replies; undefined for an empty body. */
  readonly body?: unknown;
}

/**
 * CloudAdapter with the HTTP glue of our own. `CloudAdapter.process` re-validates a body the
 * server has already checked (activity-shape.ts) with zod schemas it builds on every request,
 * copying the activity twice; it answers any failure with the library's message. Here the turn
 * goes straight to `processActivity`, a refused token gets the one short 401 body, and any other
 * failure is the caller's to log and answer (with nothing of the error in it).
 */
export class SwitchboardAdapter extends CloudAdapter {
  async answer(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<ChannelAnswer> {
    try {
      const response = await this.processActivity(authHeader, withTimestamps(activity), logic);
      return { status: response?.status ?? 200, body: response?.body };
    } catch (error) {
      if (error instanceof AuthenticationError) return { status: 401, body: { error: 'Unauthorized', message: NOT_AUTHENTICATED } };
      throw error;
    }
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
