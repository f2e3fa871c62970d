import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { FileStateStorage } from '../../src/directory/embedded/file-state-storage';
import { tempDir } from '../support/directories';
import { describeStorageContract } from './storage-contract';

/** The embedded bot-state storages and botbuilder's own MemoryStorage, the reference. */
const files: FileStateStorage[] = [];
afterAll(async () => {
  await Promise.all(files.map((f) => f.close()));
});

describeStorageContract('MemoryStorage', async () => new MemoryStorage());

describeStorageContract('FileStateStorage', async () => {
  const storage = new FileStateStorage(path.join(tempDir(), 'bot-state.json'));
  files.push(storage);
  return storage;
});
