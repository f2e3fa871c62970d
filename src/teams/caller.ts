import type { Activity } from 'botbuilder';
import type { Caller } from '../domain/admins';

/**
 * Who is acting: the Entra object id Teams puts on the activity and the tenant it came from.
 * Never anything from card data. Undefined when Teams did not say (such callers get the
 * "not an administrator" card).
 */
export function callerOf(activity: Partial<Activity>): Caller | undefined {
  const aadObjectId = activity.from?.aadObjectId;
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const tenantId = activity.conversation?.tenantId ?? (typeof channelTenant === 'string' ? channelTenant : undefined);
  if (typeof aadObjectId !== 'string' || !aadObjectId || typeof tenantId !== 'string' || !tenantId) return undefined;
  return { tenantId, aadObjectId };
}
