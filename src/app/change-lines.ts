import type { AuditEntry } from '../domain/audit';
import { formatCount } from '../domain/numbers';
import { formatMoney, type Offer } from '../domain/offers';
import { costMinor } from '../domain/subscriptions';
import type { ChangeLineView } from './views';

/** An applied change's lines as a card shows them, costed at today's prices. */
export function entryChangeLines(entry: AuditEntry, offers: ReadonlyMap<string, Offer>): ChangeLineView[] {
  return entry.lines.map((l) => {
    const offer = offers.get(l.sku);
    const cost = (q: number) => (offer ? costMinor(offer, q) : 0);
    return changeLine(l.sku, offer?.name ?? l.sku, l.oldQuantity, l.newQuantity, cost(l.oldQuantity), cost(l.newQuantity), entry.currency);
  });
}

export function changeLine(sku: string, name: string, oldQuantity: number, newQuantity: number, oldCost: number, newCost: number, currency: string): ChangeLineView {
  return {
    sku,
    name,
    oldQuantity,
    newQuantity,
    oldQuantityText: formatCount(oldQuantity),
    newQuantityText: formatCount(newQuantity),
    oldCost: formatMoney(oldCost, currency),
    newCost: formatMoney(newCost, currency),
    note: oldQuantity === 0 ? 'new subscription' : newQuantity === 0 ? 'removed' : newQuantity > oldQuantity ? 'more licences' : 'fewer licences',
  };
}
