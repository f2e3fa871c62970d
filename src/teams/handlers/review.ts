import { QUANTITY_INPUT_PREFIX } from '../../app/subscription-changes';
import { enteredQuantities, optionalString } from '../action-request';
import type { Handler } from './handler';

/** "Review changes": the quantities typed on the card, checked and costed, nothing applied yet. */
export const review: Handler = ({ caller, position, data, services }) =>
  services.subscriptions.review(caller, position, optionalString(data, 'accountId'), optionalString(data, 'version'), enteredQuantities(data, QUANTITY_INPUT_PREFIX));
