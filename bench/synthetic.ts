import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountKind, Subscription } from '../src/domain/accounts';
import type { AccountRecord, AdminRecord, DirectoryDocument } from '../src/domain/directory-document';
import type { Offer } from '../src/domain/offers';
import type { Role } from '../src/domain/roles';

/**
 * A synthetic directory for the benchmark: deterministic (seeded PRNG), fast, and shaped like a
 * large Call2Teams estate. Partner trees of resellers and customers, paths up to `maxDepth` below
 * their root, one reseller with `wideChildren` direct customers, and administrators whose
 * memberships give them real depth. It also returns a plan: which admins the load uses, and where
 * each scenario points them, all inside what their roles let them see.
 */
export interface SyntheticOptions {
  readonly accounts: number;
  readonly maxDepth: number;
  readonly wideChildren: number;
  readonly admins: number;
  readonly partners: number;
  /** Admins the load uses; each gets a membership on the big partner plus two elsewhere. */
  readonly benchAdmins: number;
  readonly seed: number;
}

export const FULL_SIZE: SyntheticOptions = { accounts: 100_000, maxDepth: 8, wideChildren: 5_000, admins: 1_000, partners: 20, benchAdmins: 50, seed: 20261126 };
/** Small enough for the in-process Cosmos stand-in, which scans a whole container per query. */
export const COSMOS_SIZE: SyntheticOptions = { accounts: 3_000, maxDepth: 8, wideChildren: 300, admins: 100, partners: 4, benchAdmins: 10, seed: 20261126 };

/** What the load needs to know about one admin it acts as. */
export interface BenchAdmin {
  readonly tenantId: string;
  readonly aadObjectId: string;
  readonly name: string;
  /** Their first membership (the big partner); searching and paging happen inside it. */
  readonly scopeRootId: string;
  /** An account at the deepest level, where "where am i" and "up" start. */
  readonly deepAccountId: string;
  /** Depth of deepAccountId below its root (how many "up" clicks move the admin). */
  readonly deepDepth: number;
  /** Two children of one reseller a few levels down: "open" alternates between them. */
  readonly openChoices: readonly [string, string];
  /** A reseller one level below the scope root, whose offers card the offers scenario shows. */
  readonly offersAccountId: string;
  /** Customers below the scope root with a C2TU1 line, and a valid new quantity for each. */
  readonly reviewTargets: readonly { readonly accountId: string; readonly sku: string; readonly quantity: string }[];
}

export interface BenchPlan {
  readonly admins: readonly BenchAdmin[];
  /** The reseller with `wideChildren` children, and page tokens spread over its pages (see discoverPageTokens). */
  readonly wideAccountId: string;
  pageTokens: readonly (string | undefined)[];
  /** Search texts of varied selectivity (a trade word, a name prefix, a town, one exact name). */
  readonly searches: readonly string[];
}

export interface Synthetic {
  readonly doc: DirectoryDocument;
  readonly plan: BenchPlan;
  readonly stats: { readonly accounts: number; readonly maxDepth: number; readonly resellers: number; readonly customers: number; readonly widest: number };
}

/** mulberry32: tiny, fast, good enough for synthetic data, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OFFERS: Offer[] = [
  { sku: 'C2TU1', name: 'Call2Teams PBX User', monthlyPrice: 4.0, currency: 'GBP', trial: false },
  { sku: 'C2TU250', name: 'Call2Teams PBX User (250+ volume)', monthlyPrice: 3.2, currency: 'GBP', trial: false },
  { sku: 'T2TU1', name: 'Trunk2Teams User', monthlyPrice: 3.5, currency: 'GBP', trial: false },
  { sku: 'T2TU80', name: 'Trunk2Teams User (80+ volume)', monthlyPrice: 2.9, currency: 'GBP', trial: false },
  { sku: 'C2TUT', name: 'Call2Teams PBX User Trial (30 days)', monthlyPrice: 0, currency: 'GBP', trial: true },
  { sku: 'T2TUT', name: 'Trunk2Teams User Trial (30 days)', monthlyPrice: 0, currency: 'GBP', trial: true },
  { sku: 'C2TPA1', name: 'PhoneApp User', monthlyPrice: 1.5, currency: 'GBP', trial: false },
  { sku: 'BRESSEN', name: 'Brand Essentials', monthlyPrice: 25.0, currency: 'GBP', trial: false },
];
const ALL_SKUS = OFFERS.map((o) => o.sku);
const RESELLER_SKUS = ['C2TU1', 'C2TU250', 'T2TU1', 'C2TUT', 'C2TPA1'];

const PREFIXES = [
  'Acme', 'Northgate', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Litware', 'Proseware', 'Adventure', 'Alpine', 'Blue Yonder', 'Coho',
  'Fourth Coffee', 'Graphic', 'Humongous', 'Lucerne', 'Margie\'s', 'Nod', 'Southridge', 'Trey', 'Wide World', 'Woodgrove', 'Kestrel', 'Harbour',
  'Oakfield', 'Bridgewater', 'Parkside', 'Hartley', 'Riverside', 'Greenway', 'Summit', 'Beacon', 'Cedar', 'Falcon', 'Granite', 'Heather',
  'Ivy', 'Juniper', 'Kingfisher', 'Lakeside', 'Meadow', 'Orchard', 'Pinnacle', 'Quarry', 'Redwood', 'Saxon', 'Thistle', 'Unity', 'Vale',
  'Willow', 'Yeoman', 'Zenith', 'Ashby', 'Brook', 'Castle', 'Dovetail', 'Elm', 'Foxglove', 'Hawthorn', 'Pennine',
];
const TRADES = [
  'Dental', 'Logistics', 'Solicitors', 'Estate Agents', 'Academy', 'Motors', 'Veterinary', 'Accountants', 'Surveyors', 'Print', 'Bakery', 'Brewing',
  'Clinic', 'Architects', 'Engineering', 'Recruitment', 'Insurance', 'Pharmacy', 'Opticians', 'Roofing', 'Plumbing', 'Electrical', 'Joinery',
  'Catering', 'Hotels', 'Travel', 'Fitness', 'Removals', 'Cleaning', 'Security', 'Florists', 'Garden Centre', 'Medical Centre', 'Care Homes',
  'Nurseries', 'Haulage', 'Scaffolding', 'Signs', 'IT Support', 'Marketing', 'Consulting', 'Finance', 'Mortgages', 'Lettings', 'Builders',
  'Kitchens', 'Windows', 'Tyres', 'Couriers', 'Packaging',
];
const SUFFIXES = ['Ltd', 'LLP', 'Group', '& Co', 'Practice', 'Services', 'Partners', 'Holdings', 'Trust', 'Ltd', 'Ltd', ''];
const TOWNS = [
  'Leeds', 'York', 'Harrogate', 'Bristol', 'Bath', 'Exeter', 'Norwich', 'Ipswich', 'Cardiff', 'Swansea', 'Chester', 'Derby', 'Leicester',
  'Nottingham', 'Sheffield', 'Durham', 'Carlisle', 'Kendal', 'Oxford', 'Reading', 'Guildford', 'Brighton', 'Dover', 'Canterbury', 'Luton',
  'Bedford', 'Stafford', 'Telford', 'Hereford', 'Lincoln',
];
const PARTNER_WORDS = ['Voice', 'Telecom', 'Comms', 'Connect', 'Networks', 'Unified', 'Cloud Voice', 'Telephony'];

export function generateDirectory(options: SyntheticOptions = FULL_SIZE): Synthetic {
  const rand = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

  const accounts: AccountRecord[] = [];
  const depthOf = new Map<string, number>();
  const childCount = new Map<string, number>();
  const partnerOf = new Map<string, number>();
  /** Containers (partners and resellers) that may take children, per partner. */
  const containers: string[][] = Array.from({ length: options.partners }, () => []);
  let serial = 0;

  const customerName = () => {
    const town = rand() < 0.35 ? ` (${pick(TOWNS)})` : '';
    return `${pick(PREFIXES)} ${pick(TRADES)} ${pick(SUFFIXES)}`.trim() + town;
  };
  const subscriptionsFor = (parentKind: AccountKind): Subscription[] => {
    const skus = parentKind === 'partner' ? ALL_SKUS : RESELLER_SKUS;
    const lines: Subscription[] = [];
    // Every customer has PBX users (the review scenario changes them); some have more lines.
    for (const sku of ['C2TU1', ...skus.filter(() => rand() < 0.25)]) {
      if (lines.some((l) => l.sku === sku)) continue;
      const quantity = int(1, 300);
      lines.push({ sku, quantity, assigned: int(0, quantity) });
    }
    return lines;
  };
  const add = (record: AccountRecord, partner: number): AccountRecord => {
    accounts.push(record);
    const depth = record.parentId === null ? 0 : depthOf.get(record.parentId)! + 1;
    depthOf.set(record.id, depth);
    partnerOf.set(record.id, partner);
    if (record.parentId !== null) childCount.set(record.parentId, (childCount.get(record.parentId) ?? 0) + 1);
    const kind = record.kind!;
    if ((kind === 'partner' || kind === 'reseller') && depth < options.maxDepth) containers[partner]!.push(record.id);
    return record;
  };
  const kindOf = (id: string) => accounts[indexOf.get(id)!]!.kind!;
  const indexOf = new Map<string, number>();
  const addAccount = (id: string, name: string, parentId: string | null, kind: AccountKind, partner: number): AccountRecord => {
    const parentKind = parentId === null ? undefined : kindOf(parentId);
    const record: AccountRecord = {
      id,
      name,
      parentId,
      kind,
      ...(kind === 'partner' ? { enabledOffers: ALL_SKUS } : kind === 'reseller' ? { enabledOffers: RESELLER_SKUS } : {}),
      ...(kind === 'customer' && parentKind ? { subscriptions: subscriptionsFor(parentKind) } : {}),
    };
    indexOf.set(id, accounts.length);
    return add(record, partner);
  };
  const id = (prefix: string) => `${prefix}${(serial++).toString(36).padStart(5, '0')}`;

  // Partners: their base accounts and their staff sub accounts.
  for (let p = 0; p < options.partners; p++) {
    const name = `${PREFIXES[p % PREFIXES.length]} ${PARTNER_WORDS[p % PARTNER_WORDS.length]}${p >= PREFIXES.length ? ` ${p}` : ''}`;
    const brand = p % 3 === 0 ? { brand: { name, logoUrl: `https://assets.example/partners/p${p}/logo.png` } } : {};
    indexOf.set(`p${p}`, accounts.length);
    add({ id: `p${p}`, name, parentId: null, kind: 'partner', enabledOffers: ALL_SKUS, ...brand }, p);
    addAccount(`p${p}-internal`, `${name} - Internal Use`, `p${p}`, 'internal', p);
  }

  // The big partner's wide reseller: one account with `wideChildren` direct customers.
  const wideAccountId = 'wide';
  addAccount(wideAccountId, `${PREFIXES[1]} Wholesale Reseller`, 'p0', 'reseller', 0);
  for (let i = 0; i < options.wideChildren; i++) addAccount(id('w'), customerName(), wideAccountId, 'customer', 0);
  containers[0] = containers[0]!.filter((c) => c !== wideAccountId); // exactly wideChildren, no more

  // Deep chains: resellers down to maxDepth - 1, a customer at maxDepth, a few customers beside
  // every step. The big partner gets one chain per bench admin, the others three each.
  const chains: { partner: number; ids: string[] }[] = [];
  for (let p = 0; p < options.partners; p++) {
    const count = p === 0 ? options.benchAdmins : 3;
    for (let c = 0; c < count; c++) {
      const ids: string[] = [];
      let parent = `p${p}`;
      for (let d = 1; d <= options.maxDepth; d++) {
        const kind: AccountKind = d < options.maxDepth ? 'reseller' : 'customer';
        const record = addAccount(id('d'), kind === 'reseller' ? `${pick(PREFIXES)} ${pick(PARTNER_WORDS)} Reseller` : customerName(), parent, kind, p);
        ids.push(record.id);
        if (kind === 'reseller') for (let s = 0; s < 3; s++) addAccount(id('c'), customerName(), record.id, 'customer', p);
        parent = record.id;
      }
      chains.push({ partner: p, ids });
    }
  }

  // The rest: attached at random inside a partner tree (the big partner holds a quarter), resellers
  // becoming rarer with depth so most of the estate stays shallow, as real estates do.
  while (accounts.length < options.accounts) {
    const p = rand() < 0.25 ? 0 : 1 + Math.floor(rand() * (options.partners - 1));
    const parentId = pick(containers[p]!);
    const depth = depthOf.get(parentId)!;
    const reseller = depth + 1 < options.maxDepth && rand() < 0.12 * Math.pow(0.6, depth);
    addAccount(id(reseller ? 'r' : 'c'), reseller ? `${pick(PREFIXES)} ${pick(PARTNER_WORDS)} ${pick(['Reseller', 'Solutions', 'Direct'])}` : customerName(), parentId, reseller ? 'reseller' : 'customer', p);
  }

  // Administrators. Bench admins: Account Owner + Subscription Contributor on the big partner,
  // Account Owner on a reseller of another partner, Service Viewer on a customer elsewhere.
  const tenantOf = (p: number) => `7e57${p.toString(16).padStart(4, '0')}-0000-4000-8000-${(p * 7919).toString(16).padStart(12, '0')}`;
  const guid = (n: number) => `${(0xa0000000 + n).toString(16)}-${int(0x1000, 0xffff).toString(16)}-4${int(0x100, 0xfff).toString(16)}-8${int(0x100, 0xfff).toString(16)}-${n.toString(16).padStart(12, '0')}`;
  const resellersOf = (p: number) => containers[p]!.filter((c) => c !== `p${p}`);
  const anyCustomer = () => {
    for (;;) {
      const a = accounts[Math.floor(rand() * accounts.length)]!;
      if (a.kind === 'customer') return a;
    }
  };
  const kidsOf = new Map<string, AccountRecord[]>();
  for (const x of accounts) {
    if (x.parentId === null) continue;
    const list = kidsOf.get(x.parentId);
    if (list) list.push(x);
    else kidsOf.set(x.parentId, [x]);
  }
  const admins: AdminRecord[] = [];
  const benchAdmins: BenchAdmin[] = [];
  const FIRST = ['Alex', 'Megan', 'Adele', 'Isaiah', 'Patti', 'Lynne', 'Diego', 'Grady', 'Henrietta', 'Joni', 'Lee', 'Lidia', 'Miriam', 'Nestor', 'Pradeep'];
  const LAST = ['Wilber', 'Bowen', 'Vance', 'Langer', 'Fernandez', 'Robbins', 'Siciliani', 'Archie', 'Mueller', 'Sherman', 'Gu', 'Holloway', 'Graham', 'Wilke', 'Gupta'];
  for (let a = 0; a < options.admins; a++) {
    const name = `${FIRST[a % FIRST.length]} ${LAST[Math.floor(a / FIRST.length) % LAST.length]} ${a}`;
    const email = `admin${a}@partner.example`;
    let partner: number;
    let memberships: { accountId: string; roles: Role[] }[];
    if (a < options.benchAdmins) {
      partner = 0;
      const other = 1 + (a % (options.partners - 1));
      memberships = [
        { accountId: 'p0', roles: ['AccountOwner', 'SubscriptionContributor'] },
        { accountId: pick(resellersOf(other)), roles: ['AccountOwner'] },
        { accountId: anyCustomer().id, roles: ['ServiceViewer'] },
      ];
    } else if (a < options.admins * 0.6) {
      // Partner staff: most on their partner's base account, some on a reseller below it.
      partner = a % options.partners;
      const onRoot = rand() < 0.7;
      memberships = [{ accountId: onRoot ? `p${partner}` : pick(resellersOf(partner)), roles: pick<Role[]>([['AccountOwner'], ['AccountOwner', 'SubscriptionContributor'], ['SubscriptionViewer', 'ServiceViewer'], ['SubscriptionOwner']]) }];
      if (rand() < 0.3) memberships.push({ accountId: pick(resellersOf(int(0, options.partners - 1))), roles: ['ServiceContributor'] });
    } else {
      // A customer's or reseller's own administrators.
      const customer = anyCustomer();
      partner = partnerOf.get(customer.id)!;
      memberships = [{ accountId: rand() < 0.8 ? customer.id : pick(resellersOf(partner)), roles: pick<Role[]>([['AccountOwner'], ['ServiceViewer'], ['SubscriptionViewer'], ['ServiceContributor', 'SyncContributor']]) }];
    }
    // One membership per account (the domain merges them anyway, but keep files tidy).
    const seen = new Set<string>();
    memberships = memberships.filter((m) => !seen.has(m.accountId) && seen.add(m.accountId));
    const tenantId = tenantOf(partner);
    const aadObjectId = guid(a);
    admins.push({ tenantId, aadObjectId, name, email, memberships });
    if (a < options.benchAdmins) {
      const chain = chains.filter((c) => c.partner === 0)[a % options.benchAdmins]!;
      const deepAccountId = chain.ids[chain.ids.length - 1]!;
      // Children of the reseller three levels up from the bottom: open alternates between two of them.
      const openParent = chain.ids[Math.max(0, chain.ids.length - 4)]!;
      const kids = (kidsOf.get(openParent) ?? []).slice(0, 2).map((x) => x.id);
      const reviewTargets = chain.ids
        .flatMap((r) => (kidsOf.get(r) ?? []).filter((x) => x.kind === 'customer').slice(0, 1))
        .slice(0, 3)
        .map((x) => {
          const line = x.subscriptions!.find((s) => s.sku === 'C2TU1')!;
          return { accountId: x.id, sku: 'C2TU1', quantity: String(line.quantity + 1 + (a % 5)) };
        });
      benchAdmins.push({ tenantId, aadObjectId, name, scopeRootId: 'p0', deepAccountId, deepDepth: depthOf.get(deepAccountId)!, offersAccountId: chain.ids[0]!, openChoices: [kids[0]!, kids[1]!], reviewTargets });
    }
  }

  const wideTotal = childCount.get(wideAccountId) ?? 0;
  const pageSize = 20;
  const pages = Math.max(1, Math.ceil(wideTotal / pageSize));
  const pageTokens = Array.from({ length: 16 }, (_, i) => `o${Math.floor((i * pages) / 16) * pageSize}`);
  // A name that occurs once-ish, from the big partner's tree, so one search is an exact match.
  const exact = accounts.find((x) => x.kind === 'customer' && partnerOf.get(x.id) === 0 && x.parentId !== wideAccountId)!.name;
  const searches = ['dental', 'acme', 'harrogate', exact];

  let resellers = 0;
  let customers = 0;
  let maxDepth = 0;
  for (const x of accounts) {
    if (x.kind === 'reseller') resellers++;
    if (x.kind === 'customer') customers++;
    maxDepth = Math.max(maxDepth, depthOf.get(x.id)!);
  }
  const widest = Math.max(...childCount.values());
  return {
    doc: { offers: OFFERS, accounts, admins },
    plan: { admins: benchAdmins, wideAccountId, pageTokens, searches },
    stats: { accounts: accounts.length, maxDepth, resellers, customers, widest },
  };
}

/** Writes the directory file to a fresh temp folder (never the repository) and returns its path. */
export function writeSynthetic(synthetic: Synthetic, dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'))): string {
  const file = path.join(dir, 'directory.json');
  writeFileSync(file, JSON.stringify(synthetic.doc));
  return file;
}
