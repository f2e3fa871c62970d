import { isClientAccount, type Account } from './accounts';
import type { Capabilities } from './permissions';

/**
 * Portal links. Each is a URL template with an `{accountId}` placeholder, configurable so that
 * white-label hosts work; the defaults point at the Call2Teams admin portal.
 */
export interface PortalTemplates {
  /** A base account's Account Portal: its Administrators and base-level subscriptions. */
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
      isClientAccount(account)
        ? { kind: 'account', title: 'Account Portal', description: 'Services and Users', url: fillTemplate(templates.accountPortal, account.id) }
        : { kind: 'account', title: 'Account Portal', description: 'Administrators and subscriptions', url: fillTemplate(templates.basePortal, account.id) },
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
    const [before, after] = template.split('{accountId}');
    if (before === undefined || after === undefined) continue;
    const candidate = url.split('#')[0]!.split('?')[0]!.replace(/\/+$/, '');
    const stem = after.replace(/\/+$/, '');
    if (candidate.toLowerCase().startsWith(before.toLowerCase()) && candidate.toLowerCase().endsWith(stem.toLowerCase())) {
      const raw = candidate.slice(before.length, candidate.length - stem.length);
      if (raw && !raw.includes('/')) {
        try {
          return decodeURIComponent(raw);
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}
