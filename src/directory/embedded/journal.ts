import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * An append-only journal, one JSON record a line, each fsynced before the write is acknowledged.
 * A crash can only tear the last line, which was never acknowledged: reading drops it (and cuts it
 * off the file so the next append starts on a clean line). Damage anywhere else is refused.
 */
export class Journal<T> {
  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens (creating if needed) the journal and returns it with every complete record in it. */
  static async open<T>(file: string): Promise<{ journal: Journal<T>; records: T[] }> {
    const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const records: T[] = [];
    let goodLength = 0;
    let offset = 0;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      if (end === -1) break; // torn tail: never acknowledged
      const line = text.slice(offset, end);
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        const isLast = text.indexOf('\n', end + 1) === -1 && text.slice(end + 1).trim() === '';
        if (!isLast) throw new Error(`The journal ${file} is damaged at byte ${Buffer.byteLength(text.slice(0, offset))}; restore it from a backup.`);
        break;
      }
      offset = end + 1;
      goodLength = Buffer.byteLength(text.slice(0, offset));
    }
    const handle = await fs.open(file, 'a+');
    if (goodLength < Buffer.byteLength(text)) {
      await handle.truncate(goodLength);
      await handle.sync();
    }
    return { journal: new Journal<T>(file, handle), records };
  }

  /** Appends one record durably. Resolves only once it is on disk. */
  async append(record: T): Promise<void> {
    await this.handle.appendFile(JSON.stringify(record) + '\n', 'utf8');
    await this.handle.sync();
  }

  /** Empties the journal (after its records were folded into a durable snapshot). */
  async clear(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  toString(): string {
    return path.basename(this.file);
  }
}
