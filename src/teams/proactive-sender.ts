import { ActivityTypes, CardFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Directory } from '../directory/port';
import type { Card, CardRenderer } from './card-renderer';
import type { NoticeSubscribers } from './notice-subscribers';

/** The part of CloudAdapter used to send unasked: its proactive path. */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface SendOptions {
  /** Least time between two sends to one conversation (Teams answers 429 beyond about 7 a second). */
  readonly conversationGapMs: number;
  /** Sends of one message before the caller is told it failed (and keeps it for later). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly log: { warn(details: Record<string, unknown>, message: string): void };
}

/** What the senders of unasked messages (change notices, the trial digest) work with. */
export interface UnaskedMessaging {
  readonly directory: Directory;
  readonly subscribers: NoticeSubscribers;
  readonly renderer: CardRenderer;
  readonly sender: ProactiveSender;
  readonly log: {
    info(details: Record<string, unknown>, message: string): void;
    warn(details: Record<string, unknown>, message: string): void;
    error(details: Record<string, unknown>, message: string): void;
  };
}

/** How long shutting down waits for a send in flight. */
export const STOP_GRACE_MS = 2_000;

/** The connector will never take this one (the app was removed, the chat is gone): not retried. */
const GIVE_UP_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Sends a card to a personal chat unasked (change notices, the trial digest) through the
 * adapter's proactive path with the bot's own credentials, with the caller's activity id so a
 * resend after a crash is the same message. Paced per conversation, retried on 429 (after
 * Retry-After) and 5xx with jittered backoff, and cancelled when the server stops.
 */
export class ProactiveSender {
  private stopped = false;
  /** Cuts short the waits between retries when the server stops. */
  private readonly stopping = new AbortController();
  /**
   * Cancels a send still in flight once the grace is over, the connector client's own retries
   * included: nothing leaves this instance after it stopped. What was not sent is kept by its caller.
   */
  private readonly abandon = new AbortController();
  private readonly nextSend = new Map<string, number>();

  constructor(
    private readonly adapter: ProactiveAdapter,
    private readonly appId: string,
    private readonly options: SendOptions,
  ) {}

  /** Stops: lets `inFlight` finish within `graceMs`, then cancels whatever is still being sent. */
  async stop(inFlight: Promise<unknown> | undefined, graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.abandon.abort();
  }

  /** True once the connector accepted it; false when it never will. Throws when it may later. */
  async send(reference: Partial<ConversationReference>, id: string, card: Card): Promise<boolean> {
    const attachment = CardFactory.adaptiveCard(card);
    const conversation = reference.conversation?.id ?? '';
    for (let attempt = 1; ; attempt++) {
      await this.pace(conversation);
      try {
        await this.sendOnce(reference, conversation, id, attachment);
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status !== undefined && GIVE_UP_STATUSES.has(status)) {
          this.options.log.warn({ activityId: id, status }, 'the connector refused a message sent unasked; not sending it again');
          return false;
        }
        if (attempt >= this.options.attempts || this.stopped) throw err;
        await sleep(this.delayFor(attempt, err), this.stopping.signal);
      }
    }
  }

  /**
   * One send through the proactive path. A failure inside the turn is carried out of it by hand:
   * thrown there, it would reach the adapter's onTurnError, which logs and swallows it, and an
   * unsent message would count as sent.
   */
  private async sendOnce(reference: Partial<ConversationReference>, conversation: string, id: string, attachment: ReturnType<typeof CardFactory.adaptiveCard>): Promise<void> {
    let failure: { readonly err: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        // Straight through the turn's connector client (the bot's credentials): context.sendActivity
        // would drop the activity id and make the message a reply to the continuation event.
        const connector = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
        if (!connector) throw new Error('the proactive turn has no connector client');
        const message = {
          type: ActivityTypes.Message,
          id,
          channelId: reference.channelId,
          serviceUrl: reference.serviceUrl,
          conversation: reference.conversation,
          from: reference.bot,
          recipient: reference.user,
          attachments: [attachment],
        } as Activity;
        await connector.conversations.sendToConversation(conversation, message, { abortSignal: this.abandon.signal });
      } catch (err) {
        failure = { err };
      }
    });
    if (failure) throw failure.err;
  }

  /** Retry-After when the connector gave one, else exponential backoff with full jitter. */
  private delayFor(attempt: number, err: unknown): number {
    const retryAfter = retryAfterMs(err);
    if (retryAfter !== undefined) return Math.min(retryAfter, this.options.maxDelayMs * 4);
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private async pace(conversation: string): Promise<void> {
    const now = Date.now();
    const at = this.nextSend.get(conversation) ?? 0;
    this.nextSend.set(conversation, Math.max(now, at) + this.options.conversationGapMs);
    if (at > now) await sleep(at - now, this.stopping.signal);
    if (this.nextSend.size > 10_000) this.nextSend.clear();
  }
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as { response?: { headers?: { get?: (name: string) => string | undefined } } } | null)?.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
