import type { DirectoryDocument } from '../../src/domain/directory-document';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import type { Directory } from '../../src/directory/port';
import { tempDir, writeDirectory } from '../support/directories';
import { describeDirectoryContract } from './directory-contract';

/** The embedded directory with a data folder, so that a reopen is a real restart from disk. */
const folders = new WeakMap<Directory, { seedFile: string; dataDir: string }>();

async function openEmbedded(options: { seedFile: string; dataDir: string }): Promise<Directory> {
  const directory = await EmbeddedDirectory.open(options);
  folders.set(directory, options);
  return directory;
}

describeDirectoryContract('embedded', () => ({
  open: (doc: DirectoryDocument) => openEmbedded({ seedFile: writeDirectory(doc), dataDir: tempDir() }),
  async reopen(directory) {
    await directory.close();
    return openEmbedded(folders.get(directory)!);
  },
  wideWidth: 5000,
  widePageSize: 25,
}));
