import { existsSync, readFileSync } from 'node:fs';
import type { Storage, StoreItems } from 'botbuilder';
import { writeFileAtomic } from '../../fs/atomic-write';

/**
 * Bot state on local disk for the embedded mode: a botbuilder Storage with MemoryStorage's
 * contract (a stale eTag fails, '*' or no eTag overwrites, deleting a missing key is fine).
 * Reads and writes are served from memory; the file is rewritten atomically shortly after a
 * change (and on close), so a turn never waits on the disk. A crash can lose the last
 * second of positions, which only sends an admin back to a recent account: no directory data
 * lives here.
 */
export class FileStateStorage implements Storage {
  private readonly items = new Map<string, { eTag: string; value: Record<string, unknown> }>();
  private counter = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly flushDelayMs = 200,
  ) {
    if (existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { eTag: string; value: Record<string, unknown> }>;
      for (const [key, item] of Object.entries(saved)) this.items.set(key, item);
      this.counter = this.items.size;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) found[key] = { ...structuredClone(item.value), eTag: item.eTag };
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    // Check every eTag first so that a batch is applied whole or not at all.
    for (const [key, change] of Object.entries(changes)) {
      const eTag = (change as { eTag?: string }).eTag;
      const current = this.items.get(key);
      if (eTag && eTag !== '*' && current && current.eTag !== eTag) {
        throw new Error(`Storage: eTag conflict writing ${key}`);
      }
    }
    for (const [key, change] of Object.entries(changes)) {
      const { eTag: _ignored, ...value } = change as Record<string, unknown>;
      this.items.set(key, { eTag: String(++this.counter), value: structuredClone(value) });
    }
    this.scheduleFlush();
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushDelayMs);
    this.flushTimer.unref();
  }

  /** Writes the current items to disk now. */
  flush(): Promise<void> {
    const snapshot = JSON.stringify(Object.fromEntries(this.items));
    this.flushing = this.flushing.then(() => writeFileAtomic(this.file, snapshot)).catch(this.onError);
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }
}
