/* The account index as it was before the benchmark optimisations (commit 73806387), kept only to check that the optimised one answers identically (bench/verify.ts). */
import type { Account, AccountSummary } from '../../src/domain/accounts';
import { defaultKind, type DirectoryDocument } from '../../src/domain/directory-document';
import { compareNames } from '../../src/domain/name-order';
import { foldName } from '../../src/domain/search';

/**
 * In-memory indexes over the account tree: by id, children by parent (sorted once, by name),
 * subtree sizes, depth and folded names for search. Built once at start-up; the tree's shape
 * never changes at run time, only accounts' subscriptions (see replaceAccount).
 */
export class ReferenceAccountIndex {
  private readonly byId = new Map<string, Account>();
  private readonly children = new Map<string, string[]>();
  private readonly descendants = new Map<string, number>();
  private readonly depths = new Map<string, number>();
  /** Parallel arrays for a tight search loop. */
  readonly searchIds: string[] = [];
  readonly searchNames: string[] = [];

  constructor(doc: DirectoryDocument) {
    for (const record of doc.accounts) {
      this.byId.set(record.id, {
        id: record.id,
        name: record.name,
        parentId: record.parentId,
        kind: defaultKind(record),
        ...(record.brand ? { brand: record.brand } : {}),
        enabledOffers: record.enabledOffers ?? [],
        subscriptions: record.subscriptions ?? [],
        version: record.version ?? '1',
      });
      if (record.parentId !== null) {
        const siblings = this.children.get(record.parentId);
        if (siblings) siblings.push(record.id);
        else this.children.set(record.parentId, [record.id]);
      }
    }
    for (const ids of this.children.values()) {
      ids.sort((a, b) => compareNames(this.byId.get(a)!.name, this.byId.get(b)!.name) || (a < b ? -1 : a > b ? 1 : 0));
    }
    for (const account of this.byId.values()) {
      if (account.parentId === null) this.walk(account.id, 0);
      this.searchIds.push(account.id);
      this.searchNames.push(foldName(account.name));
    }
  }

  /** Depth-first, iterative (trees may be deep), filling depths and subtree sizes. */
  private walk(rootId: string, rootDepth: number): void {
    const stack: { id: string; depth: number; expanded: boolean }[] = [{ id: rootId, depth: rootDepth, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = this.children.get(top.id) ?? [];
      if (!top.expanded) {
        top.expanded = true;
        this.depths.set(top.id, top.depth);
        for (const kid of kids) stack.push({ id: kid, depth: top.depth + 1, expanded: false });
      } else {
        stack.pop();
        this.descendants.set(top.id, kids.reduce((sum, kid) => sum + 1 + this.descendants.get(kid)!, 0));
      }
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Account | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<Account> {
    return this.byId.values();
  }

  depth(id: string): number {
    return this.depths.get(id) ?? 0;
  }

  childIds(parentId: string): readonly string[] {
    return this.children.get(parentId) ?? [];
  }

  summary(id: string): AccountSummary | undefined {
    const account = this.byId.get(id);
    if (!account) return undefined;
    return {
      id,
      name: account.name,
      kind: account.kind,
      parentId: account.parentId,
      childCount: this.childIds(id).length,
      descendantCount: this.descendants.get(id) ?? 0,
    };
  }

  path(id: string): Account[] | undefined {
    const path: Account[] = [];
    let account = this.byId.get(id);
    if (!account) return undefined;
    while (account) {
      path.push(account);
      account = account.parentId === null ? undefined : this.byId.get(account.parentId);
    }
    return path.reverse();
  }

  /** Is `id` at or below any of `rootIds`? */
  isWithin(id: string, rootIds: ReadonlySet<string>): boolean {
    let current: string | null = id;
    while (current !== null) {
      if (rootIds.has(current)) return true;
      current = this.byId.get(current)?.parentId ?? null;
    }
    return false;
  }

  /** Swap in a new version of an account (subscriptions changed); the tree's shape is unchanged. */
  replaceAccount(account: Account): void {
    this.byId.set(account.id, account);
  }
}
