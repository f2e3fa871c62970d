import { TurnContext, type Activity, type ConversationReference, type Storage } from 'botbuilder';
import { adminKey, type Caller } from '../domain/admins';
import { DEFAULT_NOTICE_PREFERENCES, type NoticePreferences } from '../domain/notices';
import type { NoticePreferenceStore } from '../app/notice-settings';
import { LASTING_STATE_PREFIX } from '../directory/stores';

/** One admin's notice preferences in the bot state (absent: the defaults). */
interface PreferencesItem {
  changeNotices?: boolean;
  digest?: boolean;
  eTag?: string;
}

/** Where to reach one admin: their personal chat with Switchboard. */
interface ChatItem {
  reference?: Partial<ConversationReference>;
}

export interface Subscriber extends NoticePreferences {
  readonly reference?: Partial<ConversationReference>;
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
  constructor(private readonly storage: Storage) {}

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
    return {
      changeNotices: preferences.changeNotices ?? DEFAULT_NOTICE_PREFERENCES.changeNotices,
      digest: preferences.digest ?? DEFAULT_NOTICE_PREFERENCES.digest,
      ...(reference ? { reference } : {}),
    };
  }

  async preferences(caller: Caller): Promise<NoticePreferences & { readonly reachable: boolean }> {
    const { reference, ...preferences } = await this.get(caller);
    return { ...preferences, reachable: reference !== undefined };
  }

  async setPreferences(caller: Caller, preferences: NoticePreferences): Promise<void> {
    const key = NoticeSubscribers.preferencesKey(caller);
    for (let attempt = 1; ; attempt++) {
      const current = ((await this.storage.read([key]))[key] as PreferencesItem | undefined) ?? {};
      try {
        // A first write uses '*': two at once both land, the last one wins.
        await this.storage.write({ [key]: { changeNotices: preferences.changeNotices, digest: preferences.digest, eTag: current.eTag ?? '*' } });
        break;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !/eTag|412/i.test(String((error as Error)?.message ?? error))) throw error;
      }
    }
    await flushIfFileBacked(this.storage);
  }

  /** Records the admin's personal chat (one blind write: the caller knows it changed), durably: it is rare and notices depend on it. */
  async remember(caller: Caller, reference: Partial<ConversationReference>): Promise<void> {
    await this.storage.write({ [NoticeSubscribers.chatKey(caller)]: { reference, eTag: '*' } });
    await flushIfFileBacked(this.storage);
  }

  /** The app was uninstalled: nothing more is sent (the preferences stay for a reinstall). */
  async forget(caller: Caller): Promise<void> {
    await this.storage.delete([NoticeSubscribers.chatKey(caller)]);
    await flushIfFileBacked(this.storage);
  }
}

/** The file storage writes shortly after a change; a preference is written through at once. */
async function flushIfFileBacked(storage: Storage): Promise<void> {
  const flush = (storage as Storage & { flush?: () => Promise<void> }).flush;
  if (typeof flush === 'function') await flush.call(storage);
}
