import type { Container } from '@azure/cosmos';
import type { Storage, StoreItems } from 'botbuilder';
import { itemIdFor } from './cosmos-ids';
import { ttlFields } from './documents';
import { pointRead } from './point-read';
import { CallPolicy, statusOf } from './resilience';

/** One state item: the botbuilder key (ids are escaped or hashed forms of it) and its value. */
interface StateDoc {
  readonly id: string;
  readonly key: string;
  readonly value: Record<string, unknown>;
  /** Seconds after its last write that Cosmos DB deletes it: abandoned conversations do not pile up. */
  readonly ttl?: number;
  readonly _etag?: string;
}

/** A write refused because the item changed since it was read. Worded as botbuilder's MemoryStorage words it. */
export class StorageConflictError extends Error {
  /** The HTTP status it stands for: an answer about the data, not about the service's health. */
  readonly code = 412;
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}
const conflict = (key: string): StorageConflictError => new StorageConflictError(key);

/**
 * Bot state in Cosmos DB with MemoryStorage's contract: a stale eTag fails, '*' or no eTag
 * overwrites, deleting a missing key is fine. Each key is one item in its own logical partition
 * (partition key /id), so every operation is a point operation, and the item's _etag is the
 * eTag botbuilder sees. Keys of any length or character are mapped to valid ids (see itemIdFor),
 * and the key itself is stored and checked on read. With `ttlDays`, every write carries a per-item
 * ttl, so a conversation's position expires that long after its last change.
 */
export class CosmosStateStorage implements Storage {
  constructor(
    private readonly container: Container,
    /** Shared with the directory of the same client, so one outage is noticed once. */
    private readonly calls = new CallPolicy(),
    private readonly ttlDays?: number,
    /** Keys written without a ttl, kept until deleted (what an admin chose must not lapse unseen). */
    private readonly lasting: (key: string) => boolean = () => false,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const id = itemIdFor(key);
        const doc = await this.calls.retrying((signal) => pointRead<StateDoc>(this.container, id, id, signal));
        if (doc && doc.key === key) found[key] = { ...doc.value, eTag: doc._etag };
      }),
    );
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(([key, change]) => this.writeOne(key, change as Record<string, unknown>)));
  }

  private async writeOne(key: string, change: Record<string, unknown>): Promise<void> {
    const { eTag, ...value } = change;
    const id = itemIdFor(key);
    const doc: StateDoc = { id, key, value, ...(this.lasting(key) ? {} : ttlFields(this.ttlDays)) };
    if (typeof eTag !== 'string' || eTag === '' || eTag === '*') {
      // Last writer wins, as asked: an upsert, safe to repeat.
      await this.calls.retrying((signal) => this.container.items.upsert(doc, { abortSignal: signal }));
      return;
    }
    // Conditional on the eTag the caller read; not repeated after an ambiguous failure, since a
    // repeat of a write that did land would be refused as a conflict.
    await this.calls.once(async (signal) => {
      try {
        await this.container.item(id, id).replace(doc, { accessCondition: { type: 'IfMatch', condition: eTag }, abortSignal: signal });
      } catch (error) {
        const status = statusOf(error);
        if (status === 412) throw conflict(key);
        if (status !== 404) throw error;
        // MemoryStorage writes a missing item whatever eTag it is given; create fails if another writer got there first.
        try {
          await this.container.items.create(doc, { abortSignal: signal });
        } catch (createError) {
          if (statusOf(createError) === 409) throw conflict(key);
          throw createError;
        }
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        const id = itemIdFor(key);
        await this.calls.retrying(async (signal) => {
          try {
            await this.container.item(id, id).delete({ abortSignal: signal });
          } catch (error) {
            if (statusOf(error) !== 404) throw error;
          }
        });
      }),
    );
  }
}
