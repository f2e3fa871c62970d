import type { Storage, StoreItem, TurnContext } from 'botbuilder';
import type { Position } from '../domain/navigation';

/**
 * What Switchboard keeps for one admin in one conversation, saved as one item: where they are,
 * the accounts they visited last (domain/recents.ts), and the personal chat last recorded for
 * notices. Two admins in one group chat have an item each.
 */
export interface Place {
  position?: Position;
  /** As stored: read through recentsFrom, which drops anything malformed. */
  recentAccounts?: unknown;
  noticeChat?: string;
}

type Field = keyof Place;

interface Loaded {
  readonly key: string;
  readonly item: Place & StoreItem;
  changed: boolean;
}

/**
 * The conversation state, without botbuilder's BotState: one read on the turn's first use, and a
 * write only when a field was set to something else. BotState hashed the whole state's JSON with
 * SHA-256 on every load and again on every save to find that out. The items, their keys and the
 * last-writer-wins write (eTag "*") are PrivateConversationState's, so a deployment keeps every
 * admin's place across the upgrade, and the Storage (file, memory or Cosmos DB) is the same.
 */
export class ConversationPlaces {
  private readonly turnKey = Symbol('switchboard.place');

  constructor(private readonly storage: Storage) {}

  /** PrivateConversationState's key (its namespace empty). */
  static keyOf(activity: { readonly channelId?: string; readonly conversation?: { readonly id?: string }; readonly from?: { readonly id?: string } }): string {
    const channelId = activity.channelId;
    const conversationId = activity.conversation?.id;
    const userId = activity.from?.id;
    if (!channelId) throw new Error('missing activity.channelId');
    if (!conversationId) throw new Error('missing activity.conversation.id');
    if (!userId) throw new Error('missing activity.from.id');
    return `${channelId}/conversations/${conversationId}/users/${userId}/`;
  }

  async get<F extends Field>(context: TurnContext, field: F): Promise<Place[F]> {
    return (await this.load(context)).item[field];
  }

  /** Sets a field for this turn's save; a value equal to the one held (as JSON) changes nothing. */
  async set<F extends Field>(context: TurnContext, field: F, value: Place[F]): Promise<void> {
    const loaded = await this.load(context);
    if (value === undefined) {
      if (field in loaded.item) {
        delete loaded.item[field];
        loaded.changed = true;
      }
      return;
    }
    if (JSON.stringify(loaded.item[field]) === JSON.stringify(value)) return;
    loaded.item[field] = value;
    loaded.changed = true;
  }

  delete(context: TurnContext, field: Field): Promise<void> {
    return this.set(context, field, undefined);
  }

  /** Writes the item if this turn changed it; a turn that only read, or never asked, writes nothing. */
  async save(context: TurnContext): Promise<void> {
    const pending = context.turnState.get(this.turnKey) as Promise<Loaded> | undefined;
    if (!pending) return;
    // A turn whose read failed has nothing to save.
    const loaded = await pending.catch(() => undefined);
    if (!loaded?.changed) return;
    await this.storage.write({ [loaded.key]: { ...loaded.item, eTag: '*' } });
    loaded.changed = false;
  }

  /** The item, read once per turn; a failed read is not kept, so a later use in the turn tries again. */
  private load(context: TurnContext): Promise<Loaded> {
    const held = context.turnState.get(this.turnKey) as Promise<Loaded> | undefined;
    if (held) return held;
    const reading = (async (): Promise<Loaded> => {
      const key = ConversationPlaces.keyOf(context.activity);
      const items = await this.storage.read([key]);
      return { key, item: (items[key] as (Place & StoreItem) | undefined) ?? {}, changed: false };
    })();
    context.turnState.set(this.turnKey, reading);
    reading.catch(() => {
      if (context.turnState.get(this.turnKey) === reading) context.turnState.delete(this.turnKey);
    });
    return reading;
  }
}
