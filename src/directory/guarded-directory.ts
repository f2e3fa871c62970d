import { DirectoryUnavailableError, SwitchboardError } from '../domain/errors';
import type { Directory } from './port';

/**
 * Wraps any Directory so that a storage failure reaches the user as "the directory is
 * unavailable" (DirectoryUnavailableError) rather than "something went wrong". Domain errors an
 * adapter throws on purpose (not found, invalid page token) pass through unchanged.
 */
export function guardDirectory(inner: Directory, onFailure: (method: string, error: unknown) => void): Directory {
  const guarded = {} as Record<string, unknown>;
  for (const method of DIRECTORY_METHODS) {
    guarded[method] = async (...args: unknown[]) => {
      try {
        return await (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } catch (error) {
        if (error instanceof SwitchboardError) throw error;
        onFailure(method, error);
        throw new DirectoryUnavailableError(error);
      }
    };
  }
  return guarded as unknown as Directory;
}

/** Every method of the port; a compile error here means the port grew and the guard must too. */
const DIRECTORY_METHODS = [
  'getAdmin',
  'getAccount',
  'getPath',
  'getSummary',
  'listChildren',
  'search',
  'listOffers',
  'adminsOn',
  'trialSubscriptions',
  'applySubscriptionChange',
  'applyOfferChange',
  'offerHoldings',
  'buyerCount',
  'findChange',
  'auditTrail',
  'claimNotices',
  'settleNotice',
  'ping',
  'close',
] as const satisfies readonly (keyof Directory)[];

type Missing = Exclude<keyof Directory, (typeof DIRECTORY_METHODS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
