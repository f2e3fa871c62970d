import { formatCount } from '../domain/numbers';
import type { Admin, Caller } from '../domain/admins';
import { brandShown, type Account } from '../domain/accounts';
import { breadcrumb, breadcrumbText, scopeRootOn } from '../domain/navigation';
import { capabilitiesOn } from '../domain/permissions';
import { accountIdFromPortalUrl, portalLinks, type PortalTemplates } from '../domain/portals';
import { foldName } from '../domain/search';
import type { Directory } from '../directory/port';
import { accessFrom, type AccessSource, type AdminAccess } from './access';
import { choiceText, refOf, type Navigator } from './navigator';
import type { AccountCardView, ScopeChoice } from './views';

/** Longest query or URL a compose box sends that is worth looking at. */
const MAX_INPUT = 2048;

/**
 * Account cards for helpdesk staff working in any chat: the compose-box search ("Find account")
 * and the unfurling of a pasted portal URL. Both act for the person typing, within their scopes;
 * anything outside them answers with nothing at all.
 */
export class AccountLookup {
  private readonly access: AdminAccess;

  constructor(
    private readonly directory: Directory,
    private readonly navigator: Navigator,
    private readonly portals: PortalTemplates,
    access: AccessSource = navigator,
  ) {
    this.access = accessFrom(access);
  }

  /** Accounts matching `query`, best first; nothing for a caller who administers nothing. */
  async search(caller: Caller, query: string, limit: number): Promise<AccountCardView[]> {
    const text = query.trim().slice(0, MAX_INPUT);
    const admin = text ? await this.access.adminOrNone(caller) : undefined;
    if (!admin) return [];
    // Each hit is already authorized and carries its path and summary; only the brand in force
    // needs the full path (search hits carry ids, names and kinds).
    const hits = await this.navigator.searchFor(admin, text, limit);
    const cards = await Promise.all(
      hits.map(async (hit) => {
        const path = await this.directory.getPath(hit.account.id);
        return path ? this.cardOf(admin, path, hit.account.childCount) : undefined;
      }),
    );
    return cards.filter((card): card is AccountCardView => card !== undefined);
  }

  /** The caller's own scope roots whose name, brand or path contains `text` (the switch picker's typeahead). */
  async scopeChoices(caller: Caller, text: string, limit: number): Promise<ScopeChoice[]> {
    const admin = await this.access.adminOrNone(caller);
    if (!admin) return [];
    const wanted = foldName(text);
    const choices = await this.navigator.scopeChoices(admin);
    return choices.filter((c) => choiceText(c).includes(wanted)).slice(0, limit);
  }

  /** The card a pasted portal URL unfurls into, or undefined when it is not one the caller may see. */
  async unfurl(caller: Caller, url: string): Promise<AccountCardView | undefined> {
    if (url.length > MAX_INPUT) return undefined;
    const accountId = accountIdFromPortalUrl(url, this.portals);
    const admin = accountId === undefined ? undefined : await this.access.adminOrNone(caller);
    const path = admin && accountId !== undefined ? await this.directory.getPath(accountId) : undefined;
    if (!admin || !path || !this.access.mayVisit(admin, path)) return undefined;
    const summary = await this.directory.getSummary(path[path.length - 1]!.id);
    return this.cardOf(admin, path, summary?.childCount ?? 0);
  }

  /** The shareable card of the last account of `path`, which the admin may visit. */
  private cardOf(admin: Admin, path: readonly Account[], childCount: number): AccountCardView {
    const account = path[path.length - 1]!;
    return {
      view: 'accountCard',
      account: refOf(account),
      brandName: brandShown(path).name,
      breadcrumbText: breadcrumbText(breadcrumb(path, scopeRootOn(admin, path)!)),
      childCount,
      childCountText: formatCount(childCount),
      portals: portalLinks(account, capabilitiesOn(admin, path), this.portals),
    };
  }
}
