import { QUANTITY_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Review changes": the quantities typed on the card, checked and costed, nothing applied yet. */
export const review: Handler = ({ caller, position, input, services }) =>
  services.subscriptions.review(caller, position, input.optional('accountId'), input.optional('version'), input.quantities(QUANTITY_INPUT_PREFIX));
