import { isBaseLevel, isClientAccount, type Account } from './accounts';
import type { Capabilities } from './permissions';

/**
 * Portal links. Each is a URL template with an `{accountId}` placeholder, configurable so that
 * white-label hosts work; the defaults point at the Call2Teams admin portal.
 */
export interface PortalTemplates {
  /** A base level's Account Portal (a partner's or a reseller's): its Administrators and base-level subscriptions. */
  readonly basePortal: string;
  /** A client account's Account Portal: its Services and Users. */
  readonly accountPortal: string;
  /** The Customer Portal of a client account. */
  readonly customerPortal: string;
}

export const DEFAULT_PORTAL_TEMPLATES: PortalTemplates = {
  basePortal: 'https://admin.call2teams.com/accounts/{accountId}/administrators',
  accountPortal: 'https://admin.call2teams.com/accounts/{accountId}/services',
  customerPortal: 'https://admin.call2teams.com/customer/{accountId}',
};

export interface PortalLink {
  readonly kind: 'account' | 'customer';
  readonly title: string;
  readonly description: string;
  readonly url: string;
}

export function fillTemplate(template: string, accountId: string): string {
  return template.replace(/\{accountId\}/g, encodeURIComponent(accountId));
}

/** The links the admin's roles allow on `account`, Account Portal first. */
export function portalLinks(account: Pick<Account, 'id' | 'kind'>, caps: Capabilities, templates: PortalTemplates): PortalLink[] {
  const links: PortalLink[] = [];
  if (caps.accountPortal) {
    links.push(
      // A reseller is a base level: its Account Portal is where its Administrators and base-level subscriptions live.
      isBaseLevel(account)
        ? { kind: 'account', title: 'Account Portal', description: 'Administrators and subscriptions', url: fillTemplate(templates.basePortal, account.id) }
        : { kind: 'account', title: 'Account Portal', description: 'Services and Users', url: fillTemplate(templates.accountPortal, account.id) },
    );
  }
  if (caps.customerPortal) {
    links.push({ kind: 'customer', title: 'Customer Portal', description: 'PBX and trunk connections, Teams users', url: fillTemplate(templates.customerPortal, account.id) });
  }
  return links;
}

/** The account id a portal URL points at, if it matches one of the templates. */
export function accountIdFromPortalUrl(url: string, templates: PortalTemplates): string | undefined {
  for (const template of [templates.basePortal, templates.accountPortal, templates.customerPortal]) {
    const match = templatePattern(template)?.exec(url.trim());
    if (!match?.[1]) continue;
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A template as a pattern: the id is one path segment or query value; a trailing slash, and any
 * query string or fragment the template does not itself contain, are allowed after it.
 */
function templatePattern(template: string): RegExp | undefined {
  const parts = template.split('{accountId}');
  if (parts.length !== 2) return undefined;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const [before, after] = parts as [string, string];
  const tail = after.replace(/\/+$/, '');
  const rest = template.includes('?') ? '(?:[&#].*)?' : '/*(?:[?#].*)?';
  return new RegExp(`^${escape(before)}([^/?#&]+)${escape(tail)}${rest}$`, 'i');
}
