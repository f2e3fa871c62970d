import { requireString } from '../action-request';
import type { Handler } from './handler';

/** `set <sku> <quantity>` typed in the chat goes straight to the review card. */
export const set: Handler = ({ caller, position, data, services }) => {
  const usage = 'Say which SKU and quantity, for example: set C2TU1 30';
  return services.subscriptions.set(caller, position, requireString(data, 'sku', usage), requireString(data, 'quantity', usage));
};
