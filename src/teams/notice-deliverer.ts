import { noticeView } from '../app/change-notices';
import type { ChangeNotice } from '../domain/notices';
import { errorForLog } from '../log-error';
import type { UnaskedMessaging } from './proactive-sender';

/** How notices and digests are sent (the last four go to the ProactiveSender). */
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
  /** Sends of one notice (or digest) before it is left for the next claim. */
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

  constructor(
    private readonly deps: UnaskedMessaging & { readonly owner: string },
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
   * Stops claiming. The notice being delivered, if any, is what the returned promise waits for
   * (the sender lets it finish for a moment, then cancels it: it stays in the outbox, sent again
   * with the same id at the next start or by another instance once its lease runs out).
   */
  stop(): Promise<void> | undefined {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    return this.running;
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
        const sent = await this.deps.sender.send(subscriber.reference, notice.id, this.deps.renderer.render(view));
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
}
