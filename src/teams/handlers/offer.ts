import { InvalidActionError } from '../../domain/errors';
import { parseSwitch } from '../../domain/offer-rules';
import type { Handler } from './handler';

/** `offer <sku> on|off` typed in the chat goes straight to the review card. */
export const offer: Handler = ({ caller, position, input, services }) => {
  const usage = 'Say which SKU, then on or off, for example: offer C2TUT off';
  const sku = input.require('sku', usage);
  const state = input.require('state', usage);
  if (parseSwitch(state) === undefined) {
    const shown = state.length > 20 ? `${state.slice(0, 17)}...` : state;
    throw new InvalidActionError(`“${shown}” is neither on nor off. ${usage}`);
  }
  return services.offers.set(caller, position, sku, state);
};
