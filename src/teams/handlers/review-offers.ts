import { OFFER_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Review changes" on the offers card: the toggles as set, checked against the rules, nothing applied yet. */
export const reviewOffers: Handler = ({ caller, position, input, services }) =>
  services.offers.review(caller, position, input.optional('accountId'), input.optional('version'), input.switches(OFFER_INPUT_PREFIX));
