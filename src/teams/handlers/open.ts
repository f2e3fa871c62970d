import { optionalString, requireString } from '../action-request';
import type { Handler } from './handler';

/** Card buttons send an account id; the typed command `open <name or id>` sends a reference. */
export const open: Handler = ({ caller, position, data, services }) => {
  const accountId = optionalString(data, 'accountId');
  if (accountId !== undefined) return services.navigator.open(caller, position, accountId);
  return services.navigator.openByReference(caller, position, requireString(data, 'reference', 'Say which account to open, for example: open Contoso'));
};
