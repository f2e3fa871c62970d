import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { FileStorage } from '../../src/teams/state/file-storage';
import { tempDir } from '../support/directories';
import { describeStorageContract } from './storage-contract';

/** The embedded bot-state storages and botbuilder's own MemoryStorage, the reference. */
const files: FileStorage[] = [];
afterAll(async () => {
  await Promise.all(files.map((f) => f.close()));
});

describeStorageContract('MemoryStorage', async () => new MemoryStorage());

describeStorageContract('FileStorage', async () => {
  const storage = new FileStorage(path.join(tempDir(), 'bot-state.json'));
  files.push(storage);
  return storage;
});
