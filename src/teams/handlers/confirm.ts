import { QUANTITY_INPUT_PREFIX } from '../../app/subscription-changes';
import { enteredQuantities, requireString } from '../action-request';
import type { Handler } from './handler';

/** "Update Subscriptions": re-checked in full on the server, applied once per review. */
export const confirm: Handler = ({ caller, position, data, services }) => {
  const hint = 'That confirmation is incomplete. Open the subscriptions and review the change again.';
  return services.subscriptions.confirm(
    caller,
    position,
    requireString(data, 'accountId', hint),
    requireString(data, 'version', hint),
    requireString(data, 'reviewId', hint),
    enteredQuantities(data, QUANTITY_INPUT_PREFIX),
  );
};
