import type { Handler } from './handler';

/** Card buttons send an account id; the typed command `open <name or id>` sends a reference. */
export const open: Handler = ({ caller, position, input, services }) => {
  const accountId = input.optional('accountId');
  if (accountId !== undefined) return services.navigator.open(caller, position, accountId);
  return services.navigator.openByReference(caller, position, input.require('reference', 'Say which account to open, for example: open Contoso'));
};
