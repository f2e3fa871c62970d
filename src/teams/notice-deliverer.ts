import { ActivityTypes, CardFactory, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { noticeView } from '../app/change-notices';
import type { ChangeNotice } from '../domain/notices';
import type { Directory } from '../directory/port';
import { errorForLog } from '../log-error';
import type { CardRenderer } from './card-renderer';
import type { NoticeSubscribers } from './notice-subscribers';

/** The part of CloudAdapter the deliverer uses: its proactive path. */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface DeliveryLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface DeliveryOptions {
  /** How often the outbox is looked at when nothing wakes the deliverer (another instance's changes, leases run out). */
  readonly pollMs: number;
  /** How long a claim keeps other instances off a notice: longer than the retries of one send. */
  readonly leaseMs: number;
  /** How long after a change the outbox is looked at: the turn that made it answers first. */
  readonly wakeDelayMs: number;
  /** Notices claimed at once. */
  readonly batch: number;
  /** Least time between two sends to one conversation (Teams answers 429 beyond about 7 a second). */
  readonly conversationGapMs: number;
  /** Sends of one notice before it is left for the next claim. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  pollMs: 5_000,
  leaseMs: 60_000,
  wakeDelayMs: 50,
  batch: 50,
  conversationGapMs: 250,
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
};

/** How long shutting down waits for a send in flight. */
const STOP_GRACE_MS = 2_000;

/** The connector will never take this one (the app was removed, the chat is gone): not retried. */
const GIVE_UP_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Delivers the outbox: claims notices, checks each again (is the recipient still entitled, still
 * wanting change notices, reachable in a personal chat), sends it through the adapter's proactive
 * path with the notice id as the activity id, and settles it only once the connector accepted
 * it. A crash between the send and the settle sends it again, with the same id.
 */
export class NoticeDeliverer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Cuts short the waits between retries when the server stops: an unsent notice stays in the outbox. */
  private readonly stopping = new AbortController();
  /**
   * Cancels a send still in flight once the grace is over, the connector client's own retries
   * included: nothing leaves this instance after it stopped. The notice stays in the outbox.
   */
  private readonly abandon = new AbortController();
  private readonly nextSend = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly directory: Directory;
      readonly subscribers: NoticeSubscribers;
      readonly renderer: CardRenderer;
      readonly adapter: ProactiveAdapter;
      readonly appId: string;
      readonly owner: string;
      readonly log: DeliveryLog;
    },
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
  ) {}

  /** The first look is one poll after the start: the start-up's own loads (the admin roster) go first. */
  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  /** A change with notices was just applied: look at the outbox shortly. */
  changed(): void {
    setTimeout(() => this.wake(), this.options.wakeDelayMs).unref();
  }

  /** Looks at the outbox now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /**
   * Stops claiming and cuts short the waits between retries. A send in flight gets a moment to
   * finish and be settled; one the connector keeps failing stays in the outbox, sent again (with
   * the same id) at the next start or by another instance once its lease runs out.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer) clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.abandon.abort();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const claimed = await this.deps.directory.claimNotices({ owner: this.deps.owner, leaseMs: this.options.leaseMs, limit: this.options.batch });
        if (claimed.length === 0 || this.stopped) return;
        for (const notice of claimed) {
          if (this.stopped) return;
          await this.deliver(notice);
        }
      }
    } catch (err) {
      this.deps.log.warn({ err: errorForLog(err) }, 'could not read the notice outbox; trying again later');
    }
  }

  private async deliver(notice: ChangeNotice): Promise<void> {
    const ids = { noticeId: notice.id, accountId: notice.accountId, actionId: notice.entry.actionId };
    try {
      const subscriber = await this.deps.subscribers.get(notice.recipient);
      const view = subscriber.changeNotices && subscriber.reference ? await noticeView(this.deps.directory, notice) : undefined;
      if (view && subscriber.reference) {
        const sent = await this.send(subscriber.reference, notice.id, CardFactory.adaptiveCard(this.deps.renderer.render(view)));
        this.deps.log.info({ ...ids, outcome: sent ? 'sent' : 'refused' }, 'change notice');
      } else {
        this.deps.log.info({ ...ids, outcome: 'nothing to send' }, 'change notice');
      }
      await this.deps.directory.settleNotice(notice);
    } catch (err) {
      // Left unsettled: its lease runs out and a later claim (here or elsewhere) tries again.
      this.deps.log.warn({ ...ids, err: errorForLog(err) }, 'could not deliver a change notice; it stays in the outbox');
    }
  }

  /** True once the connector accepted it; false when it never will. Throws when it may later. */
  private async send(reference: Partial<ConversationReference>, id: string, attachment: ReturnType<typeof CardFactory.adaptiveCard>): Promise<boolean> {
    const conversation = reference.conversation?.id ?? '';
    for (let attempt = 1; ; attempt++) {
      await this.pace(conversation);
      try {
        await this.sendOnce(reference, conversation, id, attachment);
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status !== undefined && GIVE_UP_STATUSES.has(status)) {
          this.deps.log.warn({ noticeId: id, status }, 'the connector refused a change notice; not sending it again');
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
   * unsent notice would be settled as sent.
   */
  private async sendOnce(reference: Partial<ConversationReference>, conversation: string, id: string, attachment: ReturnType<typeof CardFactory.adaptiveCard>): Promise<void> {
    let failure: { readonly err: unknown } | undefined;
    await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (context) => {
      try {
        // Straight through the turn's connector client (the bot's credentials): context.sendActivity
        // would drop the activity id and make the notice a reply to the continuation event.
        const connector = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
        if (!connector) throw new Error('the proactive turn has no connector client');
        const notice = {
          type: ActivityTypes.Message,
          id,
          channelId: reference.channelId,
          serviceUrl: reference.serviceUrl,
          conversation: reference.conversation,
          from: reference.bot,
          recipient: reference.user,
          attachments: [attachment],
        } as Activity;
        await connector.conversations.sendToConversation(conversation, notice, { abortSignal: this.abandon.signal });
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
