import { OFFER_INPUT_PREFIX } from '../action-request';
import type { Handler } from './handler';

/** "Update offers": re-checked in full on the server, applied once per review. */
export const confirmOffers: Handler = ({ caller, position, input, services }) => {
  const hint = 'That confirmation is incomplete. Open the offers and review the change again.';
  return services.offers.confirm(
    caller,
    position,
    input.require('accountId', hint),
    input.require('version', hint),
    input.require('reviewId', hint),
    input.switches(OFFER_INPUT_PREFIX),
  );
};
