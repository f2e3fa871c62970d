import { QUANTITY_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Update Subscriptions": re-checked in full on the server, applied once per review. */
export const confirm: Handler = ({ caller, position, input, services }) => {
  const hint = 'That confirmation is incomplete. Open the subscriptions and review the change again.';
  return services.subscriptions.confirm(
    caller,
    position,
    input.require('accountId', hint),
    input.require('version', hint),
    input.require('reviewId', hint),
    input.quantities(QUANTITY_INPUT_PREFIX),
  );
};
