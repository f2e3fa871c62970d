import { randomUUID } from 'node:crypto';
import { isBaseLevel, KIND_LABELS, type Account } from '../domain/accounts';
import type { Caller } from '../domain/admins';
import type { AuditEntry } from '../domain/audit';
import { InvalidActionError, NotAllowedError } from '../domain/errors';
import { breadcrumb, breadcrumbText, isWithinBreadcrumb, type Position } from '../domain/navigation';
import { formatCount } from '../domain/numbers';
import { holderCount, offerSource, parseSwitch, planOfferChange, type OfferHolding, type OfferPlan, type OfferProblem } from '../domain/offer-rules';
import { formatMoney, isTrial, toMinor, type Offer } from '../domain/offers';
import type { Directory, HoldingBounds } from '../directory/port';
import { accessFrom, positionOf, type AccessSource, type AdminAccess, type Here } from './access';
import { assertOwnConfirmation, currentHere, formatTime, idempotencyKey, REVIEW_ID } from './confirmations';
import { refOf, type Outcome } from './navigator';
import { noticesFor } from './change-notices';
import type { OfferChangeView, OfferLineView, OfferRefusalView, OfferReviewView, OffersUpdatedView, OffersView } from './views';

export interface OfferOptions {
  /** How far holders are counted and how many are named (the Cosmos query is capped by it). */
  readonly holdings: HoldingBounds;
  readonly newId?: () => string;
  readonly now?: () => Date;
  /** Told when a change was applied with notices to deliver (wakes the deliverer). */
  readonly onNotices?: () => void;
}

export const DEFAULT_HOLDING_BOUNDS: HoldingBounds = { countUpTo: 100, sample: 3 };

/** Offer states asked for by SKU ('on', 'off', 'true', 'false'), as sent: judged by the domain. */
export type Requested = Readonly<Record<string, string>>;

/** Offer review ids are keyed apart from subscription ones: neither replays as the other. */
const PURPOSE = 'offers';

const CHANGED_BY_SOMEONE_ELSE = 'These offers were changed by someone else since you reviewed them. Nothing was applied. Here are the current values: review again.';

/** How many accounts below may buy an offer turned on; `upTo` when that is only a bound. */
interface Buyers {
  readonly count: number;
  readonly upTo: boolean;
}

type OffersOutcome = Outcome<OffersView | OfferReviewView | OffersUpdatedView>;

/** The base level being looked at, and the one above it whose offers bound a reseller's. */
interface Scene {
  readonly here: Here;
  /** The base level above (a reseller's); undefined for a partner, whose offers the vendor sets. */
  readonly parent?: Account;
  readonly catalog: readonly Offer[];
  readonly currency: string;
}

/**
 * Offers on a base level: see them, review turning some on or off (with who below still holds
 * each), confirm. The same guarantees as subscription changes: every rule and the reviewed
 * version checked again on the server at confirm, applied once per review, the audit entry in the
 * same record as the change.
 */
export class OfferChanges {
  private readonly newId: () => string;
  private readonly now: () => Date;
  private readonly access: AdminAccess;

  constructor(
    private readonly directory: Directory,
    access: AccessSource,
    private readonly options: OfferOptions = { holdings: DEFAULT_HOLDING_BOUNDS },
  ) {
    this.access = accessFrom(access);
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  async show(caller: Caller, position: Position | undefined, accountId?: string): Promise<Outcome<OffersView>> {
    const scene = await this.scene(await this.visible(caller, position, accountId));
    return this.card(scene, position, {});
  }

  /** The offers card with the states asked for kept ("Back" from the review). */
  async edit(caller: Caller, position: Position | undefined, accountId: string | undefined, requested: Requested): Promise<Outcome<OffersView>> {
    const scene = await this.scene(await this.changeable(caller, position, accountId));
    return this.card(scene, position, { requested });
  }

  async review(caller: Caller, position: Position | undefined, accountId: string | undefined, version: string | undefined, requested: Requested): Promise<OffersOutcome> {
    const scene = await this.scene(await this.changeable(caller, position, accountId));
    if (version !== undefined && version !== scene.here.account.version) return this.card(scene, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    const plan = await this.plan(scene, requested);
    if (plan.changes.length === 0 && plan.problems.length === 0) {
      return this.card(scene, position, { requested, banner: 'Nothing to change: every offer is as it was. Turn offers on or off, then Review changes.' });
    }
    return this.reviewView(scene, position, plan, requested);
  }

  /** `offer <sku> on|off` typed in the chat: straight to the review of that one offer. */
  async set(caller: Caller, position: Position | undefined, sku: string, state: string): Promise<OffersOutcome> {
    return this.review(caller, position, undefined, undefined, { [sku.toUpperCase()]: state });
  }

  async confirm(caller: Caller, position: Position | undefined, accountId: string, version: string, reviewId: string, requested: Requested): Promise<OffersOutcome> {
    if (!REVIEW_ID.test(reviewId)) throw new InvalidActionError('That confirmation is not valid. Open the offers and review the change again.');
    const located = await this.changeable(caller, position, accountId);
    const actionId = idempotencyKey(located.account.id, caller, reviewId, PURPOSE);
    const earlier = await this.directory.findChange(located.account.id, actionId);
    if (earlier) return this.replayed(await this.scene(located), position, caller, earlier);
    // Everything this write is checked against is read fresh: the account's version, the offers
    // of the base level above, and who below holds what (a cached copy may speed up a card, never a write).
    const scene = await this.scene(await currentHere(this.directory, located), { fresh: true });
    const here = scene.here;
    if (version !== here.account.version) {
      const landed = await this.directory.findChange(here.account.id, actionId);
      if (landed) return this.replayed(scene, position, caller, landed);
      return this.card(scene, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    }
    const plan = await this.plan(scene, requested);
    if (plan.problems.length > 0) {
      return this.reviewView(scene, position, plan, requested, 'Something changed since your review, so nothing was applied. Here is the change as it stands now.');
    }
    if (plan.changes.length === 0) return this.card(scene, position, { banner: 'Nothing to change.' });
    const entry: AuditEntry = {
      id: this.newId(),
      accountId: here.account.id,
      at: this.now().toISOString(),
      actor: { tenantId: caller.tenantId, aadObjectId: caller.aadObjectId, name: here.admin.name },
      actionId,
      lines: [],
      offerLines: plan.changes.map((c) => ({ sku: c.sku, enabled: c.enabled })),
      monthlyDifferenceMinor: 0,
      currency: scene.currency,
      versionBefore: here.account.version,
    };
    // The same rule as for subscriptions: the other subscription admins at or above the base level.
    const notices = noticesFor(entry, here.path, await this.directory.adminsOn(here.path.map((a) => a.id)));
    const outcome = await this.directory.applyOfferChange({ accountId: here.account.id, expectedVersion: version, enabledOffers: plan.enabledOffers, entry, notices });
    if (outcome.status === 'conflict') {
      return this.card({ ...scene, here: { ...here, account: outcome.account } }, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    }
    if (outcome.status === 'replayed') return this.replayed(scene, position, caller, outcome.entry);
    if (notices.length > 0) this.options.onNotices?.();
    return { position: this.stay(here, position), view: await this.updatedView(scene, outcome.entry) };
  }

  /** The same confirmation again (a retry, a double tap): the original answer, nothing applied. */
  private async replayed(scene: Scene, position: Position | undefined, caller: Caller, entry: AuditEntry): Promise<Outcome<OffersUpdatedView>> {
    assertOwnConfirmation(entry, caller);
    if (!entry.offerLines) throw new InvalidActionError('That confirmation is not valid. Open the offers and review the change again.');
    return { position: this.stay(scene.here, position), view: await this.updatedView(scene, entry) };
  }

  private async updatedView(scene: Scene, entry: AuditEntry): Promise<OffersUpdatedView> {
    const bySku = new Map(scene.catalog.map((o) => [o.sku, o]));
    const changes = entry.offerLines ?? [];
    const below = await this.buyers(scene.here.account.id, changes.some((l) => l.enabled));
    return {
      view: 'offersUpdated',
      account: refOf(scene.here.account),
      changes: changes.map((l) => this.changeView(scene, bySku.get(l.sku), l.sku, l.enabled, below)),
      by: entry.actor.name,
      at: formatTime(entry.at),
      actionId: entry.actionId,
    };
  }

  private async reviewView(scene: Scene, position: Position | undefined, plan: OfferPlan, requested: Requested, banner?: string): Promise<Outcome<OfferReviewView>> {
    const below = await this.buyers(scene.here.account.id, plan.changes.some((c) => c.enabled));
    const accepted = Object.fromEntries(plan.changes.map((c) => [c.sku, c.enabled ? 'on' : 'off']));
    return {
      position: this.stay(scene.here, position),
      view: {
        view: 'offerReview',
        account: refOf(scene.here.account),
        changes: plan.changes.map((c) => this.changeView(scene, c.offer, c.sku, c.enabled, below)),
        refused: plan.problems.map((p) => refusalView(scene, p)),
        ...(banner ? { banner } : {}),
        reviewId: this.newId(),
        version: scene.here.account.version,
        accepted,
        requested,
      },
    };
  }

  private changeView(scene: Scene, offer: Offer | undefined, sku: string, enabled: boolean, below: Buyers): OfferChangeView {
    const name = scene.here.account.name;
    return {
      sku,
      name: offer?.name ?? sku,
      trial: offer ? isTrial(offer) : false,
      change: enabled ? 'Not enabled → Enabled' : 'Enabled → Not enabled',
      effect: enabled
        ? `${below.upTo ? 'Up to ' : ''}${formatCount(below.count)} account${below.count === 1 ? '' : 's'} below ${name} can buy it`
        : `No account below holds it: new subscriptions of it stop below ${name}`,
    };
  }

  /**
   * Who can buy an offer turned on: the accounts whose nearest base level above is this one,
   * asked only when a change turns one on. A directory that cannot say (a Cosmos DB import older
   * than the count) gives every account below, which overstates a tree with resellers in it: "up to".
   */
  private async buyers(accountId: string, wanted: boolean): Promise<Buyers> {
    if (!wanted) return { count: 0, upTo: false };
    const count = await this.directory.buyerCount(accountId);
    if (count !== undefined) return { count, upTo: false };
    return { count: (await this.directory.getSummary(accountId))?.descendantCount ?? 0, upTo: true };
  }

  private async plan(scene: Scene, requested: Requested): Promise<OfferPlan> {
    const { here, parent, catalog } = scene;
    if (!parent) throw new NotAllowedError(this.readOnlyReason(scene));
    // Only the offers being turned off need their holders counted.
    const off = Object.entries(requested).filter(([sku, raw]) => parseSwitch(raw) === false && here.account.enabledOffers.includes(sku)).map(([sku]) => sku);
    const holdings = off.length > 0 ? await this.directory.offerHoldings(here.account.id, off, this.options.holdings) : [];
    return planOfferChange(here.account, parent, catalog, requested, new Map(holdings.map((h) => [h.sku, h])));
  }

  /** The account must be a base level: offers are enabled there and nowhere else. */
  private async visible(caller: Caller, position: Position | undefined, accountId?: string): Promise<Here> {
    const here = await this.access.locate(caller, position, accountId);
    if (!isBaseLevel(here.account)) {
      const source = offerSource(here.path);
      const base = source.kind === 'notBaseLevel' ? source.base : undefined;
      const named = base && isWithinBreadcrumb(here.path, here.scopeRootId, base.id) ? `${base.name} enables (open it and type offers to see them)` : 'the base level above it enables';
      throw new InvalidActionError(`${here.account.name} is not a base level: offers are enabled on partners and resellers. It may buy what ${named}.`);
    }
    if (!here.caps.viewOffers) {
      throw new NotAllowedError(`Your roles on ${here.account.name} do not include seeing its offers (Subscription Viewer, Contributor or Owner).`);
    }
    return here;
  }

  private async changeable(caller: Caller, position: Position | undefined, accountId?: string): Promise<Here> {
    const here = await this.visible(caller, position, accountId);
    if (!here.caps.changeOffers) throw new NotAllowedError(this.readOnlyReason({ here }));
    return here;
  }

  /**
   * Why the offers are read-only and who can change them. The account above is named only when
   * it lies within what the admin sees; above their scope it is "an account above yours".
   */
  private readOnlyReason({ here }: Pick<Scene, 'here'>): string {
    const above = here.path[here.path.length - 2];
    if (!above) return `The offers of ${here.account.name}, a partner's base account, are set by the vendor.`;
    const holder = !isWithinBreadcrumb(here.path, here.scopeRootId, above.id) ? 'an account above yours' : above.parentId === null ? above.name : `${above.name} or above`;
    const who = `Only an administrator holding Subscription Contributor or Owner on ${holder} can change them.`;
    const ownAdmin = here.admin.memberships.some((m) => m.accountId === here.account.id);
    return ownAdmin ? `A reseller's own administrators cannot change its offers, which carry cost. ${who}` : `You can view these offers. ${who}`;
  }

  /** The base level above, read as stored (`fresh` past any cache): a path's copy may be older. */
  private async scene(here: Here, options: { fresh?: boolean } = {}): Promise<Scene> {
    const source = offerSource(here.path);
    const parent = source.kind === 'parent' ? ((await this.directory.getAccount(source.parent.id, options)) ?? source.parent) : undefined;
    const catalog = await this.directory.listOffers();
    return { here, ...(parent ? { parent } : {}), catalog, currency: catalog[0]?.currency ?? 'GBP' };
  }

  private async card(scene: Scene, position: Position | undefined, extra: { requested?: Requested; banner?: string }): Promise<Outcome<OffersView>> {
    const { here, parent, catalog, currency } = scene;
    const account = here.account;
    const enabled = new Set(account.enabledOffers);
    const editable = here.caps.changeOffers && parent !== undefined;
    const parentHas = new Set(parent?.enabledOffers ?? []);
    const shown = catalog.filter((o) => enabled.has(o.sku)).map((o) => o.sku);
    const holdings = new Map((shown.length > 0 ? await this.directory.offerHoldings(account.id, shown, this.options.holdings) : []).map((h) => [h.sku, h]));
    const requested = extra.requested ?? {};
    const above = parent && isWithinBreadcrumb(here.path, here.scopeRootId, parent.id) ? parent.name : 'the base level above';
    const line = (offer: Offer): OfferLineView => {
      const isOn = enabled.has(offer.sku);
      const asked = parseSwitch(requested[offer.sku]);
      const toggle = editable && (isOn || parentHas.has(offer.sku));
      const holding = holdings.get(offer.sku);
      return {
        sku: offer.sku,
        name: offer.name,
        trial: isTrial(offer),
        price: `${formatMoney(toMinor(offer.monthlyPrice), currency)} per user a month`,
        enabled: isOn,
        value: (toggle && asked !== undefined ? asked : isOn) ? 'true' : 'false',
        stateText: isOn ? 'Enabled' : 'Not enabled',
        ...(holding ? { holdersText: `${holderCount(holding)} below hold${holding.count === 1 && !holding.more ? 's' : ''} it` } : {}),
        toggle,
        ...(editable && !toggle ? { note: `Not enabled on ${above}, so it cannot be enabled here.` } : {}),
      };
    };
    return {
      position: this.stay(here, position),
      view: {
        view: 'offers',
        account: refOf(account),
        breadcrumbText: breadcrumbText(breadcrumb(here.path, here.scopeRootId)),
        editable,
        ...(editable ? {} : { readOnlyReason: this.readOnlyReason(scene) }),
        summary: `${formatCount(shown.length)} of ${formatCount(catalog.length)} offers enabled`,
        lines: catalog.map(line),
        version: account.version,
        ...(extra.banner ? { banner: extra.banner } : {}),
      },
    };
  }

  private stay(here: Here, position: Position | undefined): Position {
    return position ?? positionOf(here);
  }
}

function refusalView(scene: Scene, problem: OfferProblem): OfferRefusalView {
  const offer = scene.catalog.find((o) => o.sku === problem.sku);
  const holding: OfferHolding | undefined = problem.holding;
  const listed = holding?.first ?? [];
  const rest = holding ? holding.count - listed.length : 0;
  return {
    sku: problem.sku,
    name: offer?.name ?? problem.sku,
    message: problem.message,
    holders: listed.map((h) => ({ id: h.id, name: h.name, kindLabel: KIND_LABELS[h.kind] })),
    ...(holding && (rest > 0 || holding.more) ? { moreText: `and ${formatCount(rest)}${holding.more ? '+' : ''} more` } : {}),
  };
}
