import type { Storage } from 'botbuilder';
import type { Directory } from './port';

/**
 * What a backend opens from one setting: the directory and the bot's state storage, closed
 * together. Each adapter's opener returns one (src/directory/cosmos/open-cosmos.ts) and
 * src/stores.ts chooses between them. Only botbuilder's `Storage` type is named here, never
 * its code: the storages of both backends implement that interface.
 */
/**
 * State keys kept until deleted, never expired with the positions: each admin's notice
 * preferences and personal chat (src/teams/notice-subscribers.ts).
 */
export const LASTING_STATE_PREFIX = 'switchboard/notice';

export interface Stores {
  readonly directory: Directory;
  readonly state: Storage;
  close(): Promise<void>;
}
