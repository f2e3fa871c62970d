import { randomUUID } from 'node:crypto';
import type { Caller } from '../domain/admins';
import type { AuditEntry } from '../domain/audit';
import { AccountNotFoundError, InvalidActionError, NotAllowedError } from '../domain/errors';
import { breadcrumb, breadcrumbText, isWithinBreadcrumb, type Position } from '../domain/navigation';
import { formatCount } from '../domain/numbers';
import { formatDifference, formatMoney, type Offer } from '../domain/offers';
import { availableOffers, costMinor, offeringBaseLevel, planChange, type ChangePlan, type LineProblem } from '../domain/subscriptions';
import type { Directory, ReadOptions } from '../directory/port';
import { changeLine, entryChangeLines } from './change-lines';
import { noticesFor } from './change-notices';
import { accessFrom, positionOf, type AccessSource, type AdminAccess, type Here } from './access';
import { assertOwnConfirmation, currentHere, formatTime, idempotencyKey, REVIEW_ID } from './confirmations';
import { refOf, type Outcome } from './navigator';
import type {
  ChangeLineView,
  SubscriptionHistoryView,
  SubscriptionLineView,
  SubscriptionReviewView,
  SubscriptionsUpdatedView,
  SubscriptionsView,
} from './views';

export interface SubscriptionOptions {
  readonly maxQuantity: number;
  /** Told when a change was applied with notices to deliver (wakes the deliverer). */
  readonly onNotices?: () => void;
  /** Entries on the history card. */
  readonly historyLimit: number;
  readonly newId?: () => string;
  readonly now?: () => Date;
}

/** Quantities entered on the card, by SKU, exactly as sent (validated by the domain). */
export type Entered = Readonly<Record<string, string>>;

export { idempotencyKey } from './confirmations';

const CHANGED_BY_SOMEONE_ELSE = 'These subscriptions were changed by someone else since you reviewed them. Nothing was applied. Here are the current values: review again.';

type SubscriptionsOutcome = Outcome<SubscriptionsView | SubscriptionReviewView | SubscriptionsUpdatedView>;

/**
 * Quick subscription changes: see, review (old -> new, with costs), confirm. The only thing
 * Switchboard changes, so every step re-checks on the server who may change what, the
 * quantity rules, and the version the review was based on; a confirmation applies once.
 */
export class SubscriptionChanges {
  private readonly newId: () => string;
  private readonly now: () => Date;
  private readonly access: AdminAccess;

  constructor(
    private readonly directory: Directory,
    access: AccessSource,
    private readonly options: SubscriptionOptions,
  ) {
    this.access = accessFrom(access);
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  async show(caller: Caller, position: Position | undefined, accountId?: string): Promise<Outcome<SubscriptionsView>> {
    const here = await this.withOfferingBase(await this.visible(caller, position, accountId));
    return this.card(here, await this.catalog(), position, {});
  }

  /** The edit card with entered quantities kept ("Back" from the review). */
  async edit(caller: Caller, position: Position | undefined, accountId: string | undefined, entered: Entered): Promise<Outcome<SubscriptionsView>> {
    const here = await this.withOfferingBase(await this.changeable(caller, position, accountId));
    return this.card(here, await this.catalog(), position, { entered });
  }

  async review(caller: Caller, position: Position | undefined, accountId: string | undefined, version: string | undefined, entered: Entered): Promise<SubscriptionsOutcome> {
    const here = await this.withOfferingBase(await this.changeable(caller, position, accountId));
    const catalog = await this.catalog();
    if (version !== undefined && version !== here.account.version) return this.card(here, catalog, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    const plan = this.plan(here, catalog, entered);
    if (plan.problems.length > 0) return this.card(here, catalog, position, { entered, problems: plan.problems });
    if (plan.changes.length === 0) return this.card(here, catalog, position, { entered, banner: 'Nothing to change: every quantity is as it was. Enter new quantities, then Review changes.' });
    const { currency } = catalog;
    return {
      position: this.stay(here, position),
      view: {
        view: 'subscriptionReview',
        account: refOf(here.account),
        changes: plan.changes.map((c) => changeLine(c.sku, c.offer.name, c.oldQuantity, c.newQuantity, c.oldCostMinor, c.newCostMinor, currency)),
        oldTotal: formatMoney(plan.oldTotalMinor, currency),
        newTotal: formatMoney(plan.newTotalMinor, currency),
        difference: formatDifference(plan.newTotalMinor - plan.oldTotalMinor, currency),
        reviewId: this.newId(),
        version: here.account.version,
        entered,
      },
    };
  }

  /** `set <sku> <quantity>` typed in the chat: straight to the review of that one line. */
  async set(caller: Caller, position: Position | undefined, sku: string, quantity: string): Promise<SubscriptionsOutcome> {
    return this.review(caller, position, undefined, undefined, { [sku.toUpperCase()]: quantity });
  }

  async confirm(caller: Caller, position: Position | undefined, accountId: string, version: string, reviewId: string, entered: Entered): Promise<SubscriptionsOutcome> {
    if (!REVIEW_ID.test(reviewId)) throw new InvalidActionError('That confirmation is not valid. Open the subscriptions and review the change again.');
    const located = await this.changeable(caller, position, accountId);
    const catalog = await this.catalog();
    const actionId = idempotencyKey(located.account.id, caller, reviewId);
    const earlier = await this.directory.findChange(located.account.id, actionId);
    if (earlier) return this.replayed(located, catalog, position, caller, earlier);
    // The version and quantities this write is checked against are read fresh: a cached copy
    // (older than a change made through another instance) may speed up a read, never refuse a valid confirmation.
    const here = await this.withOfferingBase(await currentHere(this.directory, located), { fresh: true });
    if (version !== here.account.version) {
      // The change may be this very confirmation, landed meanwhile through another instance
      // (sent twice at once): that is a replay, not someone else's change.
      const landed = await this.directory.findChange(here.account.id, actionId);
      if (landed) return this.replayed(here, catalog, position, caller, landed);
      return this.card(here, catalog, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    }
    const plan = this.plan(here, catalog, entered);
    if (plan.problems.length > 0) return this.card(here, catalog, position, { entered, problems: plan.problems });
    if (plan.changes.length === 0) return this.card(here, catalog, position, { banner: 'Nothing to change.' });
    const { currency } = catalog;
    const entry: AuditEntry = {
      id: this.newId(),
      accountId: here.account.id,
      at: this.now().toISOString(),
      actor: { tenantId: caller.tenantId, aadObjectId: caller.aadObjectId, name: here.admin.name },
      actionId,
      lines: plan.changes.map((c) => ({ sku: c.sku, oldQuantity: c.oldQuantity, newQuantity: c.newQuantity })),
      monthlyDifferenceMinor: plan.newTotalMinor - plan.oldTotalMinor,
      currency,
      versionBefore: here.account.version,
    };
    // Who hears of it is decided now and written with the change; delivery checks again.
    const notices = noticesFor(entry, here.path, await this.directory.adminsOn(here.path.map((a) => a.id)));
    const outcome = await this.directory.applySubscriptionChange({ accountId: here.account.id, expectedVersion: version, subscriptions: plan.subscriptions, entry, notices });
    if (outcome.status === 'conflict') {
      return this.card({ ...here, account: outcome.account }, catalog, position, { banner: CHANGED_BY_SOMEONE_ELSE });
    }
    if (outcome.status === 'replayed') return this.replayed(here, catalog, position, caller, outcome.entry);
    if (notices.length > 0) this.options.onNotices?.();
    return { position: this.stay(here, position), view: this.updatedView(here, catalog, outcome.entry) };
  }

  async history(caller: Caller, position: Position | undefined, accountId?: string): Promise<Outcome<SubscriptionHistoryView>> {
    const here = await this.visible(caller, position, accountId);
    const entries = await this.directory.auditTrail(here.account.id, this.options.historyLimit);
    const { bySku } = await this.catalog();
    return {
      position: this.stay(here, position),
      view: {
        view: 'subscriptionHistory',
        account: refOf(here.account),
        entries: entries.map((e) => {
          const name = (sku: string) => `${bySku.get(sku)?.name ?? sku} (${sku})`;
          const offers = e.offerLines ?? [];
          // Offer changes on a base level sit beside its subscription changes, in one trail.
          const summary = [
            ...e.lines.map((l) => `${name(l.sku)} ${formatCount(l.oldQuantity)} → ${formatCount(l.newQuantity)}`),
            ...offers.map((l) => `Offer ${name(l.sku)} turned ${l.enabled ? 'on' : 'off'} for the accounts below`),
          ].join('; ');
          return {
            at: formatTime(e.at),
            by: e.actor.name,
            summary,
            difference: e.lines.length === 0 && offers.length > 0 ? 'Offer change: no cost to this account' : `${formatDifference(e.monthlyDifferenceMinor, e.currency)} a month`,
          };
        }),
      },
    };
  }

  /** The same confirmation again (a retry, a double tap): the original answer, nothing applied. */
  private replayed(here: Here, catalog: Catalog, position: Position | undefined, caller: Caller, entry: AuditEntry): Outcome<SubscriptionsUpdatedView> {
    assertOwnConfirmation(entry, caller);
    return { position: this.stay(here, position), view: this.updatedView(here, catalog, entry) };
  }

  private updatedView(here: Here, { bySku: offers }: Catalog, entry: AuditEntry): SubscriptionsUpdatedView {
    return {
      view: 'subscriptionsUpdated',
      account: refOf(here.account),
      changes: entryChangeLines(entry, offers),
      difference: formatDifference(entry.monthlyDifferenceMinor, entry.currency),
      by: entry.actor.name,
      at: formatTime(entry.at),
      actionId: entry.actionId,
    };
  }

  /**
   * `here` with the base level its offers come from as stored (`fresh` past any cache): a path's
   * ancestors may carry older enabled offers, and *Purchase services* follows offer changes.
   */
  private async withOfferingBase(here: Here, options: ReadOptions = {}): Promise<Here> {
    const base = offeringBaseLevel([...here.path]);
    if (!base) return here;
    const stored = await this.directory.getAccount(base.id, options);
    return stored ? { ...here, path: here.path.map((a) => (a.id === base.id ? stored : a)) } : here;
  }

  private async visible(caller: Caller, position: Position | undefined, accountId?: string): Promise<Here> {
    const here = await this.access.locate(caller, position, accountId);
    if (!here.caps.viewSubscriptions) {
      throw new NotAllowedError(`Your roles on ${here.account.name} do not include seeing its subscriptions (Subscription Viewer, Contributor or Owner).`);
    }
    return here;
  }

  private async changeable(caller: Caller, position: Position | undefined, accountId?: string): Promise<Here> {
    const here = await this.visible(caller, position, accountId);
    if (!here.caps.changeSubscriptions) throw new NotAllowedError(this.readOnlyReason(here));
    return here;
  }

  /**
   * Why the card is read-only and who can change it. The base level is named only when it lies
   * within what the admin sees; above their scope it is "an account above yours".
   */
  private readOnlyReason(here: Here): string {
    const base = offeringBaseLevel([...here.path]);
    if (!base) return `${here.account.name} is a base account: its own subscriptions are managed in its Account Portal.`;
    const ownAdmin = here.admin.memberships.some((m) => m.accountId === here.account.id);
    const holder = !isWithinBreadcrumb(here.path, here.scopeRootId, base.id)
      ? 'an account above yours'
      : base.parentId === null
        ? base.name
        : `${base.name} or above`;
    const who = `Only an administrator holding Subscription Contributor on ${holder} can change them.`;
    return ownAdmin
      ? `An account's own administrators cannot change its subscriptions, which protects customers from unexpected costs. ${who}`
      : `You can view these subscriptions. ${who}`;
  }

  private plan(here: Here, { offers }: Catalog, entered: Entered): ChangePlan {
    return planChange(here.account, availableOffers([...here.path], offers), offers, entered, { maxQuantity: this.options.maxQuantity, today: this.now().toISOString().slice(0, 10) });
  }

  private card(
    here: Here,
    { offers, bySku, currency }: Catalog,
    position: Position | undefined,
    extra: { entered?: Entered; problems?: readonly LineProblem[]; banner?: string },
  ): Outcome<SubscriptionsView> {
    const problemFor = (sku: string) => extra.problems?.find((p) => p.sku === sku)?.message;
    const entered = extra.entered ?? {};
    const line = (offer: Offer, quantity: number, assigned: number): SubscriptionLineView => {
      const shown = Number(entered[offer.sku]);
      const problem = problemFor(offer.sku);
      return {
        sku: offer.sku,
        name: offer.name,
        trial: offer.trial,
        quantity: entered[offer.sku] !== undefined && Number.isSafeInteger(shown) && shown >= 0 ? shown : quantity,
        currentQuantity: quantity,
        currentQuantityText: formatCount(quantity),
        assigned,
        assignedText: formatCount(assigned),
        unitPrice: formatMoney(costMinor(offer, 1), currency),
        monthlyCost: formatMoney(costMinor(offer, quantity), currency),
        ...(problem ? { problem } : {}),
      };
    };
    const subscribed = new Set(here.account.subscriptions.map((s) => s.sku));
    const lines = here.account.subscriptions.filter((s) => bySku.has(s.sku)).map((s) => line(bySku.get(s.sku)!, s.quantity, s.assigned));
    const purchasable = availableOffers([...here.path], offers).filter((o) => !subscribed.has(o.sku)).map((o) => line(o, 0, 0));
    // A problem about a SKU that is on neither list (forged or mistyped) still needs a place.
    const stray = (extra.problems ?? []).filter((p) => !bySku.has(p.sku) || (!subscribed.has(p.sku) && !purchasable.some((l) => l.sku === p.sku)));
    const total = here.account.subscriptions.reduce((sum, s) => sum + (bySku.has(s.sku) ? costMinor(bySku.get(s.sku)!, s.quantity) : 0), 0);
    const banner = [extra.banner, ...stray.map((p) => p.message)].filter(Boolean).join(' ');
    const editable = here.caps.changeSubscriptions;
    return {
      position: this.stay(here, position),
      view: {
        view: 'subscriptions',
        account: refOf(here.account),
        breadcrumbText: breadcrumbText(breadcrumb(here.path, here.scopeRootId)),
        editable,
        ...(editable ? {} : { readOnlyReason: this.readOnlyReason(here) }),
        lines,
        purchasable: editable ? purchasable : [],
        total: formatMoney(total, currency),
        version: here.account.version,
        maxQuantity: this.options.maxQuantity,
        maxQuantityText: formatCount(this.options.maxQuantity),
        purchaseOpen: purchasable.some((l) => l.problem !== undefined || (entered[l.sku] !== undefined && entered[l.sku] !== '0')),
        ...(banner ? { banner } : {}),
        problemCount: extra.problems?.length ?? 0,
      },
    };
  }

  private stay(here: Here, position: Position | undefined): Position {
    return position ?? positionOf(here);
  }

  /** The offers, read once per use case: prices, names and the directory's one currency. */
  private async catalog(): Promise<Catalog> {
    const offers = await this.directory.listOffers();
    return { offers, bySku: new Map(offers.map((o) => [o.sku, o])), currency: offers[0]?.currency ?? 'GBP' };
  }
}

interface Catalog {
  readonly offers: readonly Offer[];
  readonly bySku: ReadonlyMap<string, Offer>;
  readonly currency: string;
}
