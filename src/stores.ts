import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import type { CosmosSettings, EmbeddedSettings } from './config';
import { EmbeddedDirectory } from './directory/embedded/embedded-directory';
import type { DirectoryLog } from './directory/cosmos/cosmos-directory';
import type { Stores } from './directory/stores';
import { FileStateStorage } from './directory/embedded/file-state-storage';
import { collectStartupGarbage } from './startup-collection';

/** The directory and the bot's state storage, opened together from one setting. */
export async function openStores(settings: EmbeddedSettings | CosmosSettings, onStateError: (error: unknown) => void, log?: DirectoryLog): Promise<Stores> {
  if (settings.kind === 'cosmos') {
    const { openCosmosStores } = await import('./directory/cosmos/open-cosmos');
    // undefined options: the test options, if a test set them (production never does)
    return openCosmosStores(settings, undefined, log);
  }
  const directory = await EmbeddedDirectory.open({
    seedFile: settings.seedFile,
    ...(settings.dataDir ? { dataDir: settings.dataDir } : {}),
  });
  collectStartupGarbage();
  const state = settings.dataDir ? new FileStateStorage(path.join(settings.dataDir, 'bot-state.json'), onStateError) : undefined;
  return {
    directory,
    state: state ?? new MemoryStorage(),
    async close() {
      await state?.close();
      await directory.close();
    },
  };
}
