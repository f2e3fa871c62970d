import { stableId } from '../app/stable-id';
import { readTrials, trialDigestFor, type PlacedTrial } from '../app/trial-digest';
import type { DigestOnDemand } from '../app/notice-settings';
import { adminKey, type Admin, type Caller } from '../domain/admins';
import { NotAnAdminError } from '../domain/errors';
import { addDays, dueDigestDay, earliestDigestStart, localClock } from '../domain/trials';
import { errorForLog } from '../log-error';
import type { Subscriber } from './notice-subscribers';
import type { UnaskedMessaging } from './proactive-sender';

export interface DigestOptions {
  /** How often the server looks for digests that are due (each admin's own time of day). */
  readonly tickMs: number;
  /** How long a claimed day keeps other instances off it: longer than the retries of one send. */
  readonly leaseMs: number;
  /** How long what the timer read is used before it is read again: the trials from the directory, each admin's settings and chat. */
  readonly trialsMaxAgeMs: number;
  readonly now: () => number;
}

export const DEFAULT_DIGEST_OPTIONS: DigestOptions = { tickMs: 60_000, leaseMs: 120_000, trialsMaxAgeMs: 600_000, now: Date.now };

interface Trials {
  readonly trials: readonly PlacedTrial[];
  readonly admins: readonly Admin[];
  readonly offerNames: ReadonlyMap<string, string>;
  readonly readAt: number;
  readonly since: string;
}

interface DueDigest {
  readonly subscriber: Subscriber & { readonly reference: NonNullable<Subscriber['reference']> };
  readonly day: string;
  readonly view: NonNullable<ReturnType<typeof trialDigestFor>>;
}

/** The activity id of an admin's digest for a day: a resend after a crash is the same message. */
export const digestId = (caller: Caller, day: string): string => stableId('digest', adminKey(caller), day);

/**
 * The daily trial digest, on a timer inside the server. Each tick reads the trials (cached for
 * a while; they are few), and for each admin who may see one: is the digest on, can they be
 * reached, has their own time of day come in their own time zone, is there anything to say? Then
 * the day is claimed in the bot state (one instance wins), the card is sent with an id made of
 * the admin and the day, and the day is marked sent. A crash after the claim leaves the lease
 * to run out; the next claim sends it again with the same id.
 */
export class TrialDigests implements DigestOnDemand {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private cached: Trials | undefined;
  /**
   * Admins whose digest for their current day is done (sent, here or by another instance): not
   * read from the store again until their own date changes. Keyed by admin; the time zone read with it.
   */
  private readonly done = new Map<string, { readonly day: string; readonly timeZone: string }>();
  /**
   * Each admin's preferences and chat as last read, for up to `trialsMaxAgeMs`: a tick reads the
   * store only for admins whose digest is due by what was read, and then reads them afresh before
   * claiming. Without it every tick read two items per trial reader all day (in Cosmos DB, two
   * point reads per admin per minute per instance). A change made here drops the entry at once;
   * one made on another instance (a new time, a new time zone) is seen within `trialsMaxAgeMs`.
   */
  private readonly known = new Map<string, { readonly subscriber: Subscriber; readonly readAt: number }>();

  constructor(
    private readonly deps: UnaskedMessaging,
    private readonly options: DigestOptions = DEFAULT_DIGEST_OPTIONS,
  ) {
    deps.subscribers.onChange((caller) => {
      const key = adminKey(caller);
      this.known.delete(key);
      this.done.delete(key);
    });
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
  }

  /** Stops looking; the digest being sent, if any, is what the returned promise waits for. */
  stop(): Promise<void> | undefined {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    return this.running;
  }

  /** Looks for due digests now (the timer calls this; so can a test). */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.sendDue().finally(() => (this.running = undefined));
    return this.running;
  }

  async sendNow(caller: Caller): Promise<'sent' | 'nothing to say' | 'unreachable'> {
    const admin = await this.deps.directory.getAdmin(caller);
    if (!admin) throw new NotAnAdminError();
    const subscriber = await this.deps.subscribers.get(caller);
    if (!subscriber.reference) return 'unreachable';
    const now = this.options.now();
    const trials = await this.trials(now, true);
    const day = localClock(now, subscriber.timeZone).date;
    const view = trialDigestFor(admin, trials.trials, day, trials.offerNames);
    if (!view) return 'nothing to say';
    // Asked for, not the daily one: its own id, so it is shown even after today's went out.
    const sent = await this.deps.sender.send(subscriber.reference, stableId('digest now', adminKey(caller), String(now)), this.deps.renderer.render(view));
    return sent ? 'sent' : 'unreachable';
  }

  private async sendDue(): Promise<void> {
    const now = this.options.now();
    let trials: Trials;
    try {
      trials = await this.trials(now, false);
    } catch (err) {
      this.deps.log.warn({ err: errorForLog(err) }, 'could not read the trials for the digest; trying again later');
      return;
    }
    for (const admin of trials.admins) {
      if (this.stopped) return;
      try {
        await this.sendDueTo(admin, trials, now);
      } catch (err) {
        // Unsent: the claim's lease runs out and a later tick (here or elsewhere) tries again.
        this.deps.log.warn({ err: errorForLog(err) }, 'could not send a trial digest; trying again later');
      }
    }
  }

  private async sendDueTo(admin: Admin, trials: Trials, now: number): Promise<void> {
    const key = adminKey(admin);
    const done = this.done.get(key);
    if (done && localClock(now, done.timeZone).date === done.day) return;
    const known = this.known.get(key);
    const remembered = known !== undefined && now - known.readAt < this.options.trialsMaxAgeMs;
    let due = this.dueFor(admin, trials, now, remembered ? known.subscriber : await this.read(admin, now));
    // Due by what was read a while ago: read again, since the admin may have changed it elsewhere.
    if (due && remembered) due = this.dueFor(admin, trials, now, await this.read(admin, now));
    if (!due) return;
    const { subscriber, day, view } = due;
    if (!(await this.deps.subscribers.claimDigest(admin, day, now, now + this.options.leaseMs))) return;
    const sent = await this.deps.sender.send(subscriber.reference, digestId(admin, day), this.deps.renderer.render(view));
    await this.deps.subscribers.settleDigest(admin, day);
    this.done.set(key, { day, timeZone: subscriber.timeZone });
    this.deps.log.info({ day, trials: view.accounts.reduce((n, a) => n + a.trials.length, 0), outcome: sent ? 'sent' : 'refused' }, 'trial digest');
  }

  private async read(admin: Admin, now: number): Promise<Subscriber> {
    const subscriber = await this.deps.subscribers.get(admin);
    this.known.set(adminKey(admin), { subscriber, readAt: now });
    return subscriber;
  }

  /** The day whose digest is due for this admin now, and its card; undefined when none is (or there is nothing to say). */
  private dueFor(admin: Admin, trials: Trials, now: number, subscriber: Subscriber): DueDigest | undefined {
    const { reference } = subscriber;
    if (!subscriber.digest || !reference) return undefined;
    if (subscriber.digestSentDay === localClock(now, subscriber.timeZone).date) this.done.set(adminKey(admin), { day: subscriber.digestSentDay, timeZone: subscriber.timeZone });
    const day = dueDigestDay(now, subscriber.timeZone, subscriber.digestAt, subscriber.digestSentDay);
    if (!day) return undefined;
    const view = trialDigestFor(admin, trials.trials, day, trials.offerNames);
    if (!view) return undefined; // nothing to say: nothing sent, and a trial taken later today still can be
    return { subscriber: { ...subscriber, reference }, day, view };
  }

  /** The trials a digest can name anywhere on Earth now (local dates run a day either side of UTC). */
  private async trials(now: number, fresh: boolean): Promise<Trials> {
    const since = earliestDigestStart(addDays(new Date(now).toISOString().slice(0, 10), -1));
    const cached = this.cached;
    if (!fresh && cached && cached.since === since && now - cached.readAt < this.options.trialsMaxAgeMs) return cached;
    const { trials, admins } = await readTrials(this.deps.directory, since);
    const offerNames = new Map((await this.deps.directory.listOffers()).map((o) => [o.sku, o.name]));
    this.cached = { trials, admins, offerNames, readAt: now, since };
    return this.cached;
  }
}
