import type { Container } from '@azure/cosmos';
import type { TrialSubscription } from '../../domain/trials';
import type { CallPolicy } from './resilience';

/**
 * Every trial subscription started since a date: one cross-partition query over the accounts'
 * subscription arrays, run once a day per instance (the digest). Trials are few, so the answer is small;
 * its cost is a scan of the account documents' subscriptions, which is why it is not run per turn.
 */
export async function queryTrialSubscriptions(accounts: Container, calls: CallPolicy, startedSince: string): Promise<TrialSubscription[]> {
  const query = {
    query: "SELECT c.id AS accountId, s.sku, s.quantity, s.startedAt FROM c JOIN s IN c.subscriptions WHERE c.type = 'account' AND IS_DEFINED(s.startedAt) AND s.startedAt >= @since",
    parameters: [{ name: '@since', value: startedSince }],
  };
  return calls.retrying(async (signal) => {
    const { resources } = await accounts.items.query<TrialSubscription>(query, { abortSignal: signal }).fetchAll();
    return resources.filter((t) => typeof t.accountId === 'string' && typeof t.sku === 'string' && typeof t.startedAt === 'string' && typeof t.quantity === 'number');
  });
}
