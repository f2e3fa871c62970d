import { OFFER_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Back" from the offer review: the offers card again, with the toggles as they were set. */
export const editOffers: Handler = ({ caller, position, input, services }) =>
  services.offers.edit(caller, position, input.optional('accountId'), input.switches(OFFER_INPUT_PREFIX));
