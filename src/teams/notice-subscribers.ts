import { TurnContext, type Activity, type ConversationReference, type Storage } from 'botbuilder';
import { adminKey, type Caller } from '../domain/admins';
import { DEFAULT_NOTICE_PREFERENCES, type NoticePreferences } from '../domain/notices';
import { isTimeZone, parseDigestTime } from '../domain/trials';
import type { NoticePreferenceStore } from '../app/notice-settings';
import { LASTING_STATE_PREFIX } from '../directory/stores';

/** One admin's notice preferences in the bot state (absent: the defaults). */
interface PreferencesItem {
  changeNotices?: boolean;
  digest?: boolean;
  digestAt?: string;
  eTag?: string;
}

/**
 * Where to reach one admin: their personal chat with Switchboard, the time zone Teams last gave,
 * and the digest's day claim. The claim lives here because this item exists whenever the admin
 * can be reached, so claiming is a replace conditional on its eTag: of two instances, one wins.
 */
interface ChatItem {
  reference?: Partial<ConversationReference>;
  timeZone?: string;
  /** The latest day whose digest was claimed, until when, and the latest one sent. */
  digestDay?: string;
  digestLeaseUntil?: number;
  digestSentDay?: string;
  eTag?: string;
}

export interface Subscriber extends NoticePreferences {
  readonly reference?: Partial<ConversationReference>;
  /** From the activity's localTimezone; UTC when Teams never sent one. */
  readonly timeZone: string;
  /** The latest day whose digest went out. */
  readonly digestSentDay?: string;
}

/** Tries of a read-modify-write that lost a race with another write of the same item. */
const WRITE_ATTEMPTS = 4;

/**
 * Conversation references and notice preferences, by admin identity (tenant + object id), in the
 * bot's state storage (the file in embedded mode, Cosmos DB in production): two small items per
 * admin, so that recording the chat is one blind write and never touches the preferences. Only
 * personal chats are remembered: a bot cannot start a group chat, and a notice about one admin's
 * accounts must not land where others read it.
 */
export class NoticeSubscribers implements NoticePreferenceStore {
  private readonly changeListeners: ((caller: Caller) => void)[] = [];

  constructor(private readonly storage: Storage) {}

  /**
   * `listener` hears of every change this instance makes to an admin's preferences or chat
   * (another instance's changes are not heard: whoever caches what is read here bounds its age).
   */
  onChange(listener: (caller: Caller) => void): void {
    this.changeListeners.push(listener);
  }

  private changed(caller: Caller): void {
    for (const listener of this.changeListeners) listener(caller);
  }

  static preferencesKey(caller: Caller): string {
    return `${LASTING_STATE_PREFIX}s/${adminKey(caller)}`;
  }

  static chatKey(caller: Caller): string {
    return `${LASTING_STATE_PREFIX}-chat/${adminKey(caller)}`;
  }

  /** The personal chat an activity came from, as stored for notices; undefined for any other conversation. */
  static referenceOf(activity: Partial<Activity>): Partial<ConversationReference> | undefined {
    if (activity.conversation?.conversationType !== 'personal' || !activity.serviceUrl) return undefined;
    // Without the message's own id: a notice starts a new message rather than replying to an old one.
    const { activityId: _replyTo, ...reference } = TurnContext.getConversationReference(activity);
    return reference;
  }

  async get(caller: Caller): Promise<Subscriber> {
    const [preferencesKey, chatKey] = [NoticeSubscribers.preferencesKey(caller), NoticeSubscribers.chatKey(caller)];
    const items = await this.storage.read([preferencesKey, chatKey]);
    const preferences = (items[preferencesKey] as PreferencesItem | undefined) ?? {};
    const reference = (items[chatKey] as ChatItem | undefined)?.reference;
    const chat = items[chatKey] as ChatItem | undefined;
    return {
      ...preferencesOf(preferences),
      timeZone: isTimeZone(chat?.timeZone) ? chat.timeZone : 'UTC',
      ...(reference ? { reference } : {}),
      ...(chat?.digestSentDay ? { digestSentDay: chat.digestSentDay } : {}),
    };
  }

  async preferences(caller: Caller): Promise<NoticePreferences & { readonly reachable: boolean; readonly timeZone: string }> {
    const { reference, timeZone, changeNotices, digest, digestAt } = await this.get(caller);
    return { changeNotices, digest, digestAt, timeZone, reachable: reference !== undefined };
  }

  async setPreferences(caller: Caller, preferences: NoticePreferences): Promise<void> {
    const key = NoticeSubscribers.preferencesKey(caller);
    for (let attempt = 1; ; attempt++) {
      const current = ((await this.storage.read([key]))[key] as PreferencesItem | undefined) ?? {};
      try {
        // A first write uses '*': two at once both land, the last one wins.
        await this.storage.write({ [key]: { changeNotices: preferences.changeNotices, digest: preferences.digest, digestAt: preferences.digestAt, eTag: current.eTag ?? '*' } });
        break;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !isConflict(error)) throw error;
      }
    }
    await flushIfFileBacked(this.storage);
    this.changed(caller);
  }

  /**
   * Records the admin's personal chat and time zone, durably: it is rare and notices depend on it.
   * The digest's claim in the same item is kept.
   */
  async remember(caller: Caller, reference: Partial<ConversationReference>, timeZone?: string): Promise<void> {
    await this.update(caller, (chat) => ({ ...chat, reference, ...(timeZone ? { timeZone } : {}) }));
    await flushIfFileBacked(this.storage);
    this.changed(caller);
  }

  /**
   * Claims `day`'s digest for this admin until `leaseUntil`: true for exactly one claimer while
   * the lease holds, false when it was sent, is being sent, or the admin cannot be reached. A
   * claim whose lease ran out unsent (its instance died) can be claimed again.
   */
  async claimDigest(caller: Caller, day: string, now: number, leaseUntil: number): Promise<boolean> {
    const key = NoticeSubscribers.chatKey(caller);
    const chat = (await this.storage.read([key]))[key] as ChatItem | undefined;
    if (!chat?.reference || !chat.eTag) return false;
    if (chat.digestSentDay !== undefined && chat.digestSentDay >= day) return false;
    if (chat.digestDay === day && (chat.digestLeaseUntil ?? 0) > now) return false;
    try {
      await this.storage.write({ [key]: { ...chat, digestDay: day, digestLeaseUntil: leaseUntil } });
    } catch (error) {
      if (isConflict(error)) return false; // another instance claimed it first
      throw error;
    }
    await flushIfFileBacked(this.storage);
    return true;
  }

  /** `day`'s digest went out (or there was nothing to say): it is not sent again. */
  async settleDigest(caller: Caller, day: string): Promise<void> {
    await this.update(caller, (chat) => (chat.digestSentDay !== undefined && chat.digestSentDay >= day ? chat : { ...chat, digestSentDay: day }));
    await flushIfFileBacked(this.storage);
  }

  /** Read, change and write back the chat item, again when another write came in between. */
  private async update(caller: Caller, change: (chat: ChatItem) => ChatItem): Promise<void> {
    const key = NoticeSubscribers.chatKey(caller);
    for (let attempt = 1; ; attempt++) {
      const current = ((await this.storage.read([key]))[key] as ChatItem | undefined) ?? {};
      try {
        await this.storage.write({ [key]: { ...change(current), eTag: current.eTag ?? '*' } });
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !isConflict(error)) throw error;
      }
    }
  }

  /** The app was uninstalled: nothing more is sent (the preferences stay for a reinstall). */
  async forget(caller: Caller): Promise<void> {
    await this.storage.delete([NoticeSubscribers.chatKey(caller)]);
    await flushIfFileBacked(this.storage);
    this.changed(caller);
  }
}

function isConflict(error: unknown): boolean {
  return /eTag|412/i.test(String((error as Error)?.message ?? error));
}

function preferencesOf(item: PreferencesItem): NoticePreferences {
  return {
    changeNotices: item.changeNotices ?? DEFAULT_NOTICE_PREFERENCES.changeNotices,
    digest: item.digest ?? DEFAULT_NOTICE_PREFERENCES.digest,
    digestAt: item.digestAt !== undefined && parseDigestTime(item.digestAt) === item.digestAt ? item.digestAt : DEFAULT_NOTICE_PREFERENCES.digestAt,
  };
}

/** The file storage writes shortly after a change; a preference is written through at once. */
async function flushIfFileBacked(storage: Storage): Promise<void> {
  const flush = (storage as Storage & { flush?: () => Promise<void> }).flush;
  if (typeof flush === 'function') await flush.call(storage);
}
