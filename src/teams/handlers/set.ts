import { InvalidActionError } from '../../domain/errors';
import { parseQuantity } from '../../domain/subscriptions';
import type { Handler } from './handler';

/** `set <sku> <quantity>` typed in the chat goes straight to the review card. */
export const set: Handler = ({ caller, position, input, services }) => {
  const usage = 'Say which SKU and quantity, for example: set C2TU1 30';
  const sku = input.require('sku', usage);
  const quantity = input.require('quantity', usage);
  // A typed quantity that is no number at all is the command's mistake, told as such; the
  // account's own limits (assigned licences, the maximum) are judged on the subscriptions card.
  if (input.typed && parseQuantity(quantity) === undefined) throw new InvalidActionError(typedQuantityProblem(sku, quantity));
  return services.subscriptions.set(caller, position, sku, quantity);
};

function typedQuantityProblem(sku: string, quantity: string): string {
  const example = `For example: set ${/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(sku) ? sku.toUpperCase() : 'C2TU1'} 30`;
  if (/^-\d+$/.test(quantity)) return `A quantity cannot be below 0: the command takes a whole number of licences. ${example}`;
  if (/^\d+$/.test(quantity)) return `That quantity is more licences than a subscription may have: the command takes a whole number of licences. ${example}`;
  const shown = quantity.length > 20 ? `${quantity.slice(0, 17)}...` : quantity;
  return `“${shown}” is not a quantity: the command takes a whole number of licences. ${example}`;
}
