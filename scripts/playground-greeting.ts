/**
 * What `npm run playground` says about the person chatting: who the Playground's current user
 * is (from its .m365agentsplayground.yml) and what they administer in the directory the bot has
 * loaded, so the greeting is true whichever person or directory is configured.
 */
import type { Directory } from '../src/directory/port';
import { formatCount } from '../src/domain/numbers';
import { ROLE_LABELS } from '../src/domain/roles';

export interface PlaygroundUser {
  readonly name: string;
  readonly aadObjectId: string;
  readonly tenantId: string;
}

/** `key: value` with the value unquoted, as YAML writes a plain or quoted scalar. */
function scalar(line: string): [string, string] | undefined {
  const match = /^([A-Za-z][\w-]*):\s*(.*?)\s*$/.exec(line);
  if (!match) return undefined;
  const raw = match[2]!.replace(/\s+#.*$/, '');
  return [match[1]!, raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1')];
}

/**
 * The tenant and the `currentUser` of a Playground config. Only those scalars are read (the
 * Playground validates the whole file against its schema itself); undefined when they are missing.
 */
export function playgroundUser(yaml: string): PlaygroundUser | undefined {
  let tenantId: string | undefined;
  const user: Record<string, string> = {};
  let inCurrentUser = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const indented = /^\s/.test(line);
    if (!indented) {
      inCurrentUser = /^currentUser:\s*$/.test(line);
      const top = scalar(line);
      if (top?.[0] === 'tenantId') tenantId = top[1];
      continue;
    }
    if (inCurrentUser) {
      const pair = scalar(line.trim());
      if (pair) user[pair[0]] = pair[1];
    }
  }
  if (!tenantId || !user.name || !user.aadObjectId) return undefined;
  return { name: user.name, aadObjectId: user.aadObjectId, tenantId };
}

/** "You are Lynne Robbins: Account Owner on Contoso Telecom; Subscription Contributor on Hartley & Co Solicitors LLP." */
export async function describePlaygroundUser(user: PlaygroundUser | undefined, directory: Directory, configFile: string): Promise<string> {
  if (!user) return `${configFile} names no current user (currentUser with name and aadObjectId, and tenantId): the Playground may refuse it.`;
  const admin = await directory.getAdmin({ tenantId: user.tenantId, aadObjectId: user.aadObjectId });
  if (!admin || admin.memberships.length === 0) {
    return `You are ${user.name}, who administers nothing in the loaded directory: Switchboard will tell you so. To chat as an admin, swap currentUser in ${configFile} for one of its users.`;
  }
  const shown = admin.memberships.slice(0, 3);
  const held = await Promise.all(
    shown.map(async (m) => {
      const account = await directory.getAccount(m.accountId);
      return `${m.roles.map((r) => ROLE_LABELS[r]).join(' and ')} on ${account?.name ?? m.accountId}`;
    }),
  );
  const more = admin.memberships.length - shown.length;
  return `You are ${user.name}: ${held.join('; ')}${more > 0 ? `; and ${formatCount(more)} more` : ''}.`;
}
