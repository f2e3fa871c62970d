import { brandShown, isBaseLevel, KIND_LABELS, type Account, type AccountKind } from '../domain/accounts';
import type { Admin, Caller } from '../domain/admins';
import { AccountNotFoundError, InvalidActionError, NotAllowedError } from '../domain/errors';
import { breadcrumb, breadcrumbText, parentWithinScope, scopeRootIds, scopeRootOn, type Position } from '../domain/navigation';
import { formatCount } from '../domain/numbers';
import { grantedRolesOn, isInScope, mayOpen } from '../domain/permissions';
import { portalLinks, type PortalTemplates } from '../domain/portals';
import { ROLE_LABELS } from '../domain/roles';
import { RECENT_LIMIT } from '../domain/recents';
import { foldName, matchKind } from '../domain/search';
import type { Directory, SearchHit } from '../directory/port';
import { AdminAccess, MAX_REFERENCE, positionOf, type Here } from './access';
import { choiceLabel, switchView } from './switch-view';
import type { AccountRef, PortalView, ScopeChoice, SearchView, SwitchView, TreeRow, TreeView, WhereAmIView } from './views';

export interface NavigatorOptions {
  readonly portals: PortalTemplates;
  /** Children per page of the account tree card. */
  readonly pageSize: number;
  /** Results per search card. */
  readonly searchLimit: number;
  /** Beyond this many scope roots the switch picker uses typeahead instead of static choices. */
  readonly staticChoiceLimit: number;
}

export const DEFAULT_NAVIGATOR_OPTIONS: Omit<NavigatorOptions, 'portals'> = {
  pageSize: 20,
  searchLimit: 10,
  staticChoiceLimit: 50,
};

export type { Here } from './access';

/** A use case's answer: the view to show and, when it moved the admin, where they are now. */
export interface Outcome<V> {
  readonly view: V;
  readonly position: Position;
}

export const refOf = (a: Pick<Account, 'id' | 'name' | 'kind'>): AccountRef => ({
  id: a.id,
  name: a.name,
  kind: a.kind,
  kindLabel: KIND_LABELS[a.kind as AccountKind],
});

/**
 * Who can give the admin more roles on `account`, true for whoever reads it: an account at the
 * top of its tree has nobody above it, and nothing about the accounts above is named.
 */
export function rolesHint(account: Pick<Account, 'name' | 'parentId'>, what: string): string {
  return account.parentId === null ? `An Account Owner of ${account.name} ${what}` : `An Account Owner of this account or of an account above it ${what}`;
}

/**
 * The navigation use cases: where am I, open, up, home, the tree, portals, search, switch.
 * Every one starts from the caller's identity and re-authorizes the target on the server
 * (through AdminAccess), whatever a card's data claims.
 */
export class Navigator {
  /** Who the admin is and where they may be; shared with the other use cases. */
  readonly access: AdminAccess;

  constructor(
    private readonly directory: Directory,
    private readonly options: NavigatorOptions,
    access?: AdminAccess,
  ) {
    this.access = access ?? new AdminAccess(directory);
  }

  /** Kept for callers that ask the navigator who the admin is; the answer is AdminAccess's. */
  admin(caller: Caller): Promise<Admin> {
    return this.access.admin(caller);
  }

  /** Kept for callers that ask the navigator where the admin stands; the answer is AdminAccess's. */
  here(caller: Caller, position: Position | undefined): Promise<Here> {
    return this.access.here(caller, position);
  }

  /** The Where am I card for where the admin stands. */
  async whereAmI(caller: Caller, position: Position | undefined): Promise<Outcome<WhereAmIView>> {
    return this.describe(await this.access.here(caller, position));
  }

  /** The Where am I card of `here`, sub account count included. */
  async describe(here: Here): Promise<Outcome<WhereAmIView>> {
    const { admin, path, account, scopeRootId, caps } = here;
    const crumbs = breadcrumb(path, scopeRootId);
    const parent = parentWithinScope(path, scopeRootId);
    const summary = await this.directory.getSummary(account.id);
    const childCount = summary?.childCount ?? 0;
    const granted = grantedRolesOn(admin, path);
    return {
      position: positionOf(here),
      view: {
        view: 'whereAmI',
        brand: { ...brandShown(path) },
        account: refOf(account),
        breadcrumb: crumbs.map(refOf),
        breadcrumbText: breadcrumbText(crumbs),
        roles: granted.map((r) => ROLE_LABELS[r]),
        impliedRoles: caps.roles.filter((r) => !granted.includes(r)).map((r) => ROLE_LABELS[r]),
        ...(parent ? { parent: refOf(parent) } : {}),
        atScopeRoot: !parent,
        childCount,
        childCountText: formatCount(childCount),
        canBrowse: caps.browse,
        canViewSubscriptions: caps.viewSubscriptions,
        canViewOffers: isBaseLevel(account) && caps.viewOffers,
        portals: portalLinks(account, caps, this.options.portals),
        scopeRootCount: scopeRootIds(admin).length,
        adminName: admin.name,
      },
    };
  }

  async open(caller: Caller, position: Position | undefined, accountId: string): Promise<Outcome<WhereAmIView>> {
    const admin = await this.access.admin(caller);
    return this.describe(await this.access.authorizeOpen(admin, accountId, position?.scopeRootId));
  }

  /**
   * `open <name or id>` typed in the chat: an id opens directly; otherwise a single exact (or
   * single partial) name match opens, and several matches answer with the search card.
   */
  async openByReference(caller: Caller, position: Position | undefined, reference: string): Promise<Outcome<WhereAmIView | SearchView>> {
    const ref = reference.trim();
    if (!ref) throw new InvalidActionError('Say which account to open, for example: open Contoso');
    const admin = await this.access.admin(caller);
    const byId = ref.length <= MAX_REFERENCE ? await this.directory.getPath(ref) : undefined;
    if (byId && isInScope(admin, byId)) return this.open(caller, position, ref);
    const found = await this.searchFor(admin, ref, this.options.searchLimit + 1);
    const exact = found.filter((h) => foldName(h.account.name) === foldName(ref));
    const pick = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : undefined;
    if (pick) return this.open(caller, position, pick.account.id);
    if (found.length === 0) throw new AccountNotFoundError(ref);
    const here = await this.access.here(caller, position);
    return { position: positionOf(here), view: this.searchView(admin, ref, found, `Several accounts match "${ref}". Pick one:`) };
  }

  async up(caller: Caller, position: Position | undefined): Promise<Outcome<WhereAmIView>> {
    const here = await this.access.here(caller, position);
    const parent = parentWithinScope(here.path, here.scopeRootId);
    if (!parent) return this.describe(here); // already at the top of what they may see
    return this.describe(this.access.at(here.admin, here.path.slice(0, -1), here.scopeRootId));
  }

  async goHome(caller: Caller, position: Position | undefined): Promise<Outcome<WhereAmIView>> {
    const here = await this.access.here(caller, position);
    // The scope root is on the current path: no need to read it again.
    const rootAt = here.path.findIndex((a) => a.id === here.scopeRootId);
    return this.describe(rootAt >= 0 ? this.access.at(here.admin, here.path.slice(0, rootAt + 1), here.scopeRootId) : await this.access.home(here.admin, here.scopeRootId));
  }

  /** One page of an account's children (the current account unless `accountId` names another in scope). */
  async children(caller: Caller, position: Position | undefined, accountId?: string, token?: string): Promise<Outcome<TreeView>> {
    const here = await this.access.locate(caller, position, accountId);
    if (!here.caps.browse) throw new NotAllowedError(`Your roles on ${here.account.name} do not include seeing its sub accounts.`);
    const { pageSize } = this.options;
    const page = await this.directory.listChildren(here.account.id, { pageSize, ...(token !== undefined ? { token } : {}) });
    // Each row is its ref with the counts added, not a ref spread into a new object: measured
    // side by side, the spread cost a tenth of a page turn.
    const rows = page.items.map((child): TreeRow =>
      Object.assign(refOf(child), { descendantCount: child.descendantCount, descendantCountText: formatCount(child.descendantCount) }),
    );
    const total = page.total;
    const firstIndex = total === 0 ? 0 : page.offset + 1;
    const lastIndex = page.offset + rows.length;
    const pageNumber = Math.floor(page.offset / pageSize) + 1;
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    return {
      position: positionOf(here),
      view: {
        view: 'accountTree',
        parent: refOf(here.account),
        breadcrumbText: breadcrumbText(breadcrumb(here.path, here.scopeRootId)),
        rows,
        total,
        firstIndex,
        lastIndex,
        pageNumber,
        pageCount,
        showing: `Showing ${formatCount(firstIndex)}–${formatCount(lastIndex)} of ${formatCount(total)} · page ${formatCount(pageNumber)} of ${formatCount(pageCount)}`,
        ...(page.next !== undefined ? { next: page.next } : {}),
        ...(page.previous !== undefined ? { previous: page.previous } : {}),
      },
    };
  }

  async portals(caller: Caller, position: Position | undefined, accountId?: string): Promise<Outcome<PortalView>> {
    const here = await this.access.locate(caller, position, accountId);
    const links = portalLinks(here.account, here.caps, this.options.portals);
    return {
      // Looking at another account's links does not move the admin.
      position: position ?? positionOf(here),
      view: {
        view: 'portalLinks',
        account: refOf(here.account),
        breadcrumbText: breadcrumbText(breadcrumb(here.path, here.scopeRootId)),
        links,
        noLinksHint: rolesHint(here.account, 'can give you a Service or Subscription role.'),
      },
    };
  }

  /** Accounts matching `query`, the admin's recently visited ones (`recents`, newest first) before the rest. */
  async find(caller: Caller, position: Position | undefined, query: string, recents: readonly string[] = []): Promise<Outcome<SearchView>> {
    const text = query.trim();
    if (!text) throw new InvalidActionError('Say what to look for, for example: find dental');
    if (text.length > MAX_REFERENCE) throw new InvalidActionError(`Search text is limited to ${MAX_REFERENCE} characters.`);
    const here = await this.access.here(caller, position);
    const [hits, visited] = await Promise.all([this.searchFor(here.admin, text, this.options.searchLimit + 1), this.recentPaths(here.admin, recents)]);
    const recent = await Promise.all(
      visited
        .filter((path) => matchKind(path[path.length - 1]!.name, text) !== undefined)
        .slice(0, RECENT_LIMIT)
        .map(async (path): Promise<SearchHit | undefined> => {
          const summary = await this.directory.getSummary(path[path.length - 1]!.id);
          return summary && { account: summary, path };
        }),
    );
    const first = recent.filter((hit): hit is SearchHit => hit !== undefined);
    const recentIds = new Set(first.map((hit) => hit.account.id));
    const merged = [...first, ...hits.filter((hit) => !recentIds.has(hit.account.id))];
    return { position: positionOf(here), view: this.searchView(here.admin, text, merged, undefined, recentIds) };
  }

  /**
   * The paths of the admin's recently visited accounts, newest first, re-read and re-authorized:
   * an account deleted, moved out of their scope, or no longer theirs to open is left out.
   */
  private async recentPaths(admin: Admin, recents: readonly string[]): Promise<Account[][]> {
    const paths = await Promise.all(recents.slice(0, RECENT_LIMIT + 1).map((id) => this.directory.getPath(id)));
    return paths.filter((path): path is Account[] => path !== undefined && this.access.mayVisit(admin, path));
  }

  /** Matches the admin may open, across all their scopes, best first. */
  async searchFor(admin: Admin, text: string, limit: number): Promise<SearchHit[]> {
    const hits = await this.directory.search(text, { withinRootIds: scopeRootIds(admin), limit: limit * 2 });
    // Checked until `limit` are found: the rest would be sliced off anyway.
    const open: SearchHit[] = [];
    for (const hit of hits) {
      if (open.length === limit) break;
      if (mayOpen(admin, hit.path)) open.push(hit);
    }
    return open;
  }

  private searchView(admin: Admin, query: string, hits: readonly SearchHit[], note?: string, recentIds: ReadonlySet<string> = new Set()): SearchView {
    const shown = hits.slice(0, this.options.searchLimit);
    return {
      view: 'searchResults',
      query,
      truncated: hits.length > shown.length,
      ...(note ? { note } : {}),
      results: shown.map((hit) => ({
        account: refOf(hit.account),
        breadcrumbText: breadcrumbText(breadcrumb(hit.path, scopeRootOn(admin, hit.path)!)),
        recent: recentIds.has(hit.account.id),
      })),
    };
  }

  /**
   * The switch picker. The admin's recently visited accounts (`recents`, newest first) come first:
   * as one-tap rows above it (not the one they are on), and their scope roots first in it.
   */
  async switchChoices(caller: Caller, position: Position | undefined, recents: readonly string[] = []): Promise<Outcome<SwitchView>> {
    const here = await this.access.here(caller, position);
    const [choices, visited] = await Promise.all([this.scopeChoices(here.admin, here.scopeRootId), this.recentPaths(here.admin, recents)]);
    const all = recentRootsFirst(choices, visited);
    const recent = visited
      .filter((path) => path[path.length - 1]!.id !== here.account.id)
      .slice(0, RECENT_LIMIT)
      .map((path) => ({ account: refOf(path[path.length - 1]!), breadcrumbText: breadcrumbText(breadcrumb(path, scopeRootOn(here.admin, path)!)) }));
    return { position: positionOf(here), view: switchView(refOf(here.account), all, all, this.options.staticChoiceLimit, undefined, recent) };
  }

  /**
   * `switch <text>` typed in the chat: the picker narrowed to the admin's own scope roots whose
   * name, brand or path contains the text (what `switch` moves between; any account below them
   * is `find`'s and `open`'s). One match, or one whose whole name is the text, switches straight
   * away, as `open <name>` opens: the card that answers says where the admin now is.
   */
  async switchByText(caller: Caller, position: Position | undefined, text: string, recents: readonly string[] = []): Promise<Outcome<WhereAmIView | SwitchView>> {
    const wanted = text.trim();
    if (wanted.length > MAX_REFERENCE) throw new InvalidActionError(`Switch text is limited to ${MAX_REFERENCE} characters.`);
    const here = await this.access.here(caller, position);
    const [choices, visited] = await Promise.all([this.scopeChoices(here.admin, here.scopeRootId), this.recentPaths(here.admin, recents)]);
    const all = recentRootsFirst(choices, visited);
    const folded = foldName(wanted);
    const matching = all.filter((c) => choiceText(c).includes(folded));
    const exact = matching.filter((c) => foldName(c.title) === folded);
    const pick = exact.length === 1 ? exact[0] : matching.length === 1 ? matching[0] : undefined;
    if (pick) return this.switchTo(caller, pick.id);
    if (matching.length === 0) {
      throw new AccountNotFoundError(
        wanted,
        `None of the ${formatCount(all.length)} account${all.length === 1 ? '' : 's'} you switch between matches “${wanted}”. Type switch to see them all, or find ${wanted} to search the accounts below them too.`,
      );
    }
    return { position: positionOf(here), view: switchView(refOf(here.account), all, matching, this.options.staticChoiceLimit, wanted) };
  }

  /**
   * The admin's scope roots, each with its brand and its path from the highest of their own
   * memberships on it (just its name unless they also hold one above it): never the accounts above.
   */
  async scopeChoices(admin: Admin, currentRootId?: string): Promise<ScopeChoice[]> {
    const choices: ScopeChoice[] = [];
    for (const id of scopeRootIds(admin)) {
      const path = await this.directory.getPath(id);
      if (!path) continue; // a membership on a removed account is simply not offered
      const account = path[path.length - 1]!;
      choices.push({
        id,
        title: account.name,
        brandName: brandShown(path).name,
        pathText: breadcrumbText(breadcrumb(path, scopeRootOn(admin, path)!)),
        current: id === currentRootId,
        label: choiceLabel(account.name, brandShown(path).name),
      });
    }
    return choices;
  }

  /** Moves to one of the admin's own scope roots. Anything else is refused. */
  async switchTo(caller: Caller, scopeRootId: string): Promise<Outcome<WhereAmIView>> {
    const admin = await this.access.admin(caller);
    if (!scopeRootIds(admin).includes(scopeRootId)) throw new AccountNotFoundError(scopeRootId);
    return this.describe(await this.access.home(admin, scopeRootId));
  }
}

/** The scope roots the admin visited most recently (themselves or an account below them) first, newest first; the others after them, in their order. */
function recentRootsFirst(choices: readonly ScopeChoice[], visited: readonly (readonly Pick<Account, 'id'>[])[]): ScopeChoice[] {
  const rank = (choice: ScopeChoice): number => {
    const at = visited.findIndex((path) => path.some((a) => a.id === choice.id));
    return at < 0 ? visited.length : at;
  };
  return choices.map((choice, i) => ({ choice, i, rank: rank(choice) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((c) => c.choice);
}

/** What a switch filter is matched against: the choice's name, brand and path, folded. */
export function choiceText(choice: ScopeChoice): string {
  return foldName(`${choice.title} ${choice.brandName} ${choice.pathText}`);
}
