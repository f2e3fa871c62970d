import { QUANTITY_INPUT_PREFIX } from '../../app/subscription-changes';
import { enteredQuantities, optionalString } from '../action-request';
import type { Handler } from './handler';

/** "Back" from the review: the edit card again, with the quantities that were entered. */
export const edit: Handler = async ({ caller, position, data, services }) => {
  const entered = enteredQuantities(data, QUANTITY_INPUT_PREFIX);
  return services.subscriptions.edit(caller, position, optionalString(data, 'accountId'), entered);
};
