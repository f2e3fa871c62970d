import { QUANTITY_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Back" from the review: the edit card again, with the quantities that were entered. */
export const edit: Handler = async ({ caller, position, input, services }) => {
  const entered = input.quantities(QUANTITY_INPUT_PREFIX);
  return services.subscriptions.edit(caller, position, input.optional('accountId'), entered);
};
