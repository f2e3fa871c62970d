import { TurnContext, type Activity, type ConversationReference, type Storage } from 'botbuilder';
import { adminKey, type Caller } from '../domain/admins';
import { DEFAULT_NOTICE_PREFERENCES, type NoticePreferences } from '../domain/notices';
import type { NoticePreferenceStore } from '../app/notice-settings';

/** One admin's item in the bot state: where to reach them, and what they want to receive. */
interface SubscriberItem {
  /** The personal chat with Switchboard (absent until they install it or write in it, and after an uninstall). */
  reference?: Partial<ConversationReference>;
  changeNotices?: boolean;
  digest?: boolean;
  eTag?: string;
}

export interface Subscriber extends NoticePreferences {
  readonly reference?: Partial<ConversationReference>;
}

/** Tries of a read-modify-write that lost a race with another write of the same item. */
const WRITE_ATTEMPTS = 4;

/**
 * Conversation references and notice preferences, one item per admin identity (tenant + object
 * id) in the bot's state storage (the file in embedded mode, Cosmos DB in production). Only
 * personal chats are remembered: a bot cannot start a group chat, and a notice about one admin's
 * accounts must not land where others read it.
 */
export class NoticeSubscribers implements NoticePreferenceStore {
  constructor(private readonly storage: Storage) {}

  static key(caller: Caller): string {
    return `switchboard/notices/${adminKey(caller)}`;
  }

  async get(caller: Caller): Promise<Subscriber> {
    const item = await this.read(caller);
    return {
      changeNotices: item.changeNotices ?? DEFAULT_NOTICE_PREFERENCES.changeNotices,
      digest: item.digest ?? DEFAULT_NOTICE_PREFERENCES.digest,
      ...(item.reference ? { reference: item.reference } : {}),
    };
  }

  async preferences(caller: Caller): Promise<NoticePreferences & { readonly reachable: boolean }> {
    const { reference, ...preferences } = await this.get(caller);
    return { ...preferences, reachable: reference !== undefined };
  }

  async setPreferences(caller: Caller, preferences: NoticePreferences): Promise<void> {
    await this.update(caller, (item) => ({ ...item, changeNotices: preferences.changeNotices, digest: preferences.digest }));
    await flushIfFileBacked(this.storage);
  }

  /**
   * Remembers the personal chat an activity came from (written only when it differs from what is
   * stored, so an ordinary message costs one read). Anything but a personal chat is ignored.
   */
  async remember(caller: Caller, activity: Partial<Activity>): Promise<void> {
    if (activity.conversation?.conversationType !== 'personal' || !activity.serviceUrl) return;
    // Without the message's own id: a notice starts a new message rather than replying to an old one.
    const { activityId: _replyTo, ...reference } = TurnContext.getConversationReference(activity);
    const stored = (await this.read(caller)).reference;
    if (stored && JSON.stringify(stored) === JSON.stringify(reference)) return;
    await this.update(caller, (item) => ({ ...item, reference }));
  }

  /** The app was uninstalled: nothing more is sent (the preferences stay for a reinstall). */
  async forget(caller: Caller): Promise<void> {
    await this.update(caller, ({ reference: _gone, ...item }) => item);
    await flushIfFileBacked(this.storage);
  }

  private async read(caller: Caller): Promise<SubscriberItem> {
    const key = NoticeSubscribers.key(caller);
    return ((await this.storage.read([key]))[key] as SubscriberItem | undefined) ?? {};
  }

  private async update(caller: Caller, change: (item: SubscriberItem) => SubscriberItem): Promise<void> {
    const key = NoticeSubscribers.key(caller);
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(caller);
      // A new item is written with '*': two first writes at once both land, the last one wins.
      const next = { ...change(current), eTag: current.eTag ?? '*' };
      try {
        await this.storage.write({ [key]: next });
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !/eTag|412/i.test(String((error as Error)?.message ?? error))) throw error;
      }
    }
  }
}

/** The file storage writes shortly after a change; a preference is written through at once. */
async function flushIfFileBacked(storage: Storage): Promise<void> {
  const flush = (storage as Storage & { flush?: () => Promise<void> }).flush;
  if (typeof flush === 'function') await flush.call(storage);
}
