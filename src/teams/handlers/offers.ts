import type { Handler } from './handler';

/** The offers of the current base level, or of the one a card's button names. */
export const offers: Handler = ({ caller, position, input, services }) =>
  services.offers.show(caller, position, input.optional('accountId'));
