import type { DirectoryDocuments } from './build-documents';
import { CONTAINER_SPECS, type ContainerRole } from './containers';
import { ADMIN_PARTITION, LOCATOR_PARTITION, type AdminDoc, type CatalogDoc } from './documents';

/** Any document an import writes: an id, a type, and its container's partition key property. */
export type ImportedDoc = { readonly id: string; readonly type: string } & object;

/** What becomes of a document of this kind that the file no longer has. */
export type ObsoletePolicy =
  /** Deleted (an account gone or moved to another tree, its locator, its search keys). */
  | 'delete'
  /** Left as it is (audit entries are history). */
  | 'keep'
  /** Rewritten as this function says, so that running instances, which read what changed, hear of it. */
  | { readonly retire: (doc: ImportedDoc) => ImportedDoc };

export interface ImportedKind {
  /** The documents' `type` field. */
  readonly type: string;
  readonly container: Exclude<ContainerRole, 'state'>;
  /** For progress lines. */
  readonly label: string;
  /** Every document of this kind the file wants, built by buildDocuments. */
  readonly docs: readonly ImportedDoc[];
  readonly obsolete: ObsoletePolicy;
  /** Partitions where documents of this kind may be besides those of `docs` (a tree the file no longer has). */
  readonly alsoIn: readonly string[];
  /** The documents carry their position in the file (`ordinal`): kept where the order allows (stable-ordinals.ts). */
  readonly ordered?: boolean;
}

/**
 * Every kind of document an import manages, in the order they are written. The import compares
 * what the file wants with what the database holds per container, partition and id, generically:
 * a new kind of document (search keys, say) is one more line here.
 */
export function importedKinds(docs: DirectoryDocuments, previous: CatalogDoc | undefined): readonly ImportedKind[] {
  const previousTrees = previous?.rootIds ?? [];
  return [
    { type: 'account', container: 'accounts', label: 'accounts', docs: docs.accounts, obsolete: 'delete', alsoIn: previousTrees, ordered: true },
    { type: 'searchKey', container: 'accounts', label: 'search keys', docs: docs.searchKeys, obsolete: 'delete', alsoIn: previousTrees },
    { type: 'audit', container: 'accounts', label: 'audit entries', docs: docs.audit, obsolete: 'keep', alsoIn: previousTrees },
    { type: 'locator', container: 'lookups', label: 'account locators', docs: docs.locators, obsolete: 'delete', alsoIn: [LOCATOR_PARTITION] },
    { type: 'admin', container: 'lookups', label: 'admins', docs: docs.admins, obsolete: { retire: (doc) => ({ ...(doc as AdminDoc), removed: true }) }, alsoIn: [ADMIN_PARTITION], ordered: true },
  ];
}

/** The property holding a container's partition key (accounts: rootId, lookups: pk). */
export function partitionProperty(container: ImportedKind['container']): string {
  return CONTAINER_SPECS[container].partitionKeyPath.slice(1);
}

export function partitionKeyOf(container: ImportedKind['container'], doc: object): string {
  const value = (doc as Record<string, unknown>)[partitionProperty(container)];
  if (typeof value !== 'string') throw new Error(`a document for ${container} has no ${partitionProperty(container)}: ${JSON.stringify(doc).slice(0, 200)}`);
  return value;
}
