import type { Caller } from '../domain/admins';
import { brandOf } from '../domain/accounts';
import { NotAnAdminError } from '../domain/errors';
import { breadcrumb, breadcrumbText, scopeRootOn } from '../domain/navigation';
import { capabilitiesOn, isInScope, mayOpen } from '../domain/permissions';
import { accountIdFromPortalUrl, portalLinks, type PortalTemplates } from '../domain/portals';
import type { Directory } from '../directory/port';
import { refOf, type Navigator } from './navigator';
import type { AccountCardView, ScopeChoice } from './views';
import { foldName } from '../domain/search';

/** Longest query or URL a compose box sends that is worth looking at. */
const MAX_INPUT = 2048;

/**
 * Account cards for helpdesk staff working in any chat: the compose-box search ("Find account")
 * and the unfurling of a pasted portal URL. Both act for the person typing, within their scopes;
 * anything outside them answers with nothing at all.
 */
export class AccountLookup {
  constructor(
    private readonly directory: Directory,
    private readonly navigator: Navigator,
    private readonly portals: PortalTemplates,
  ) {}

  /** Accounts matching `query`, best first; nothing for a caller who administers nothing. */
  async search(caller: Caller, query: string, limit: number): Promise<AccountCardView[]> {
    const text = query.trim().slice(0, MAX_INPUT);
    const admin = await this.navigator.admin(caller).catch(swallowNotAnAdmin);
    if (!admin || !text) return [];
    const hits = await this.navigator.searchFor(admin, text, limit);
    const cards: AccountCardView[] = [];
    for (const hit of hits) {
      const card = await this.card(caller, hit.account.id);
      if (card) cards.push(card);
    }
    return cards;
  }

  /** The caller's own scope roots whose name, brand or path contains `text` (the switch picker's typeahead). */
  async scopeChoices(caller: Caller, text: string, limit: number): Promise<ScopeChoice[]> {
    const admin = await this.navigator.admin(caller).catch(swallowNotAnAdmin);
    if (!admin) return [];
    const wanted = foldName(text);
    const choices = await this.navigator.scopeChoices(admin);
    return choices.filter((c) => foldName(`${c.title} ${c.brandName} ${c.pathText}`).includes(wanted)).slice(0, limit);
  }

  /** The card a pasted portal URL unfurls into, or undefined when it is not one the caller may see. */
  async unfurl(caller: Caller, url: string): Promise<AccountCardView | undefined> {
    if (url.length > MAX_INPUT) return undefined;
    const accountId = accountIdFromPortalUrl(url, this.portals);
    return accountId === undefined ? undefined : this.card(caller, accountId);
  }

  private async card(caller: Caller, accountId: string): Promise<AccountCardView | undefined> {
    const admin = await this.navigator.admin(caller).catch(swallowNotAnAdmin);
    const path = admin ? await this.directory.getPath(accountId) : undefined;
    if (!admin || !path || !isInScope(admin, path) || !mayOpen(admin, path)) return undefined;
    const account = path[path.length - 1]!;
    const summary = await this.directory.getSummary(accountId);
    return {
      view: 'accountCard',
      account: refOf(account),
      brandName: brandOf(path)?.name ?? 'Call2Teams',
      breadcrumbText: breadcrumbText(breadcrumb(path, scopeRootOn(admin, path)!)),
      childCount: summary?.childCount ?? 0,
      portals: portalLinks(account, capabilitiesOn(admin, path), this.portals),
    };
  }
}

/** Someone who administers nothing simply finds nothing. */
function swallowNotAnAdmin(error: unknown): undefined {
  if (error instanceof NotAnAdminError) return undefined;
  throw error;
}
