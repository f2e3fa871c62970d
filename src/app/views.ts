import type { AccountKind } from '../domain/accounts';
import type { PortalLink } from '../domain/portals';

/**
 * What the use cases answer with: one view a card. Plain data, already worded for a person,
 * so a card template (cards/<kind>.json) only lays it out. Nothing here knows about Teams.
 */
export interface AccountRef {
  readonly id: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly kindLabel: string;
}

export interface BrandView {
  readonly name: string;
  readonly logoUrl?: string;
}

export interface WhereAmIView {
  readonly view: 'whereAmI';
  readonly brand: BrandView;
  readonly account: AccountRef;
  /** From the scope root to the account; the last step is the account itself. */
  readonly breadcrumb: readonly AccountRef[];
  readonly breadcrumbText: string;
  /** The roles the admin was granted on this account or above it, as granted. */
  readonly roles: readonly string[];
  /** The roles those imply and that were not granted too, shown only on request. */
  readonly impliedRoles: readonly string[];
  readonly parent?: AccountRef;
  readonly atScopeRoot: boolean;
  readonly childCount: number;
  readonly childCountText: string;
  readonly canBrowse: boolean;
  readonly canViewSubscriptions: boolean;
  /** A base level whose offers the admin may see: the card offers an *Offers* button. */
  readonly canViewOffers: boolean;
  readonly portals: readonly PortalLink[];
  readonly scopeRootCount: number;
  readonly adminName: string;
}

/** A row of the tree: what the row shows, nothing more (a page holds up to 20 of them). */
export interface TreeRow extends AccountRef {
  readonly descendantCount: number;
  readonly descendantCountText: string;
}

export interface TreeView {
  readonly view: 'accountTree';
  readonly parent: AccountRef;
  readonly breadcrumbText: string;
  readonly rows: readonly TreeRow[];
  readonly total: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly pageNumber: number;
  readonly pageCount: number;
  /** "Showing 1–20 of 3,202 · page 1 of 161", in the one number format. */
  readonly showing: string;
  readonly next?: string;
  readonly previous?: string;
}

export interface PortalView {
  readonly view: 'portalLinks';
  readonly account: AccountRef;
  readonly breadcrumbText: string;
  readonly links: readonly PortalLink[];
  /** When there are no links: who can give the admin a role that shows them. */
  readonly noLinksHint: string;
}

export interface ScopeChoice {
  readonly id: string;
  readonly title: string;
  readonly brandName: string;
  readonly pathText: string;
  readonly current: boolean;
  /** What the picker shows for it: the name, and the brand when it differs, shortened for a phone. */
  readonly label: string;
}

export interface SwitchView {
  readonly view: 'switchAccount';
  readonly current: AccountRef;
  /** The picker's static choices: few enough to scroll through on a phone. */
  readonly choices: readonly ScopeChoice[];
  /** The choices spelled out below the picker, with their paths: only when there are a few. */
  readonly listed: readonly ScopeChoice[];
  /** When there are too many for static choices, the picker asks the bot as the admin types. */
  readonly typeahead: boolean;
  readonly total: number;
  readonly totalText: string;
  /** When not every account is in the picker: how to reach the others. */
  readonly moreHint?: string;
  /** The accounts the admin visited most recently (the current one left out), one tap each. */
  readonly recent: readonly RecentAccount[];
  /** `switch <text>`: what the admin typed, and how many of their accounts it kept. */
  readonly filter?: string;
  readonly filterNote?: string;
}

/** An account the admin visited recently, re-authorized as it is shown. */
export interface RecentAccount {
  readonly account: AccountRef;
  readonly breadcrumbText: string;
}

export interface SearchResultView {
  readonly account: AccountRef;
  readonly breadcrumbText: string;
  /** One of the admin's recently visited accounts, which find puts first. */
  readonly recent: boolean;
}

export interface SearchView {
  readonly view: 'searchResults';
  readonly query: string;
  readonly results: readonly SearchResultView[];
  /** True when more accounts matched than are shown. */
  readonly truncated: boolean;
  readonly note?: string;
}

export interface HelpView {
  readonly view: 'help';
  readonly adminName?: string;
  readonly welcome: boolean;
}

export interface ErrorView {
  readonly view: 'error';
  readonly code: string;
  readonly title: string;
  readonly message: string;
  readonly nextStep: string;
}

export interface SubscriptionLineView {
  readonly sku: string;
  readonly name: string;
  readonly trial: boolean;
  /** What the quantity box shows: the value entered, else the current quantity. */
  readonly quantity: number;
  readonly currentQuantity: number;
  readonly currentQuantityText: string;
  /** The least the quantity may be: the licences assigned to users. */
  readonly assigned: number;
  readonly assignedText: string;
  readonly unitPrice: string;
  readonly monthlyCost: string;
  readonly problem?: string;
}

export interface SubscriptionsView {
  readonly view: 'subscriptions';
  readonly account: AccountRef;
  readonly breadcrumbText: string;
  readonly editable: boolean;
  /** Why the card is read-only, and who can change it. */
  readonly readOnlyReason?: string;
  readonly lines: readonly SubscriptionLineView[];
  /** Offers of the base level above that the account does not have yet ("Purchase services"). */
  readonly purchasable: readonly SubscriptionLineView[];
  readonly total: string;
  readonly version: string;
  readonly maxQuantity: number;
  readonly maxQuantityText: string;
  /** Whether *Purchase services* starts open: when one of its lines was entered or has a problem. */
  readonly purchaseOpen: boolean;
  /** A message above the lines, e.g. "changed by someone else". */
  readonly banner?: string;
  readonly problemCount: number;
}

export interface ChangeLineView {
  readonly sku: string;
  readonly name: string;
  readonly oldQuantity: number;
  readonly newQuantity: number;
  readonly oldQuantityText: string;
  readonly newQuantityText: string;
  readonly oldCost: string;
  readonly newCost: string;
  readonly note: string;
}

export interface SubscriptionReviewView {
  readonly view: 'subscriptionReview';
  readonly account: AccountRef;
  readonly changes: readonly ChangeLineView[];
  readonly oldTotal: string;
  readonly newTotal: string;
  readonly difference: string;
  /** Carried by "Update Subscriptions": the idempotency key and the version reviewed. */
  readonly reviewId: string;
  readonly version: string;
  /** The entered quantities by SKU, carried by "Back" and "Update Subscriptions". */
  readonly entered: Readonly<Record<string, string>>;
}

export interface SubscriptionsUpdatedView {
  readonly view: 'subscriptionsUpdated';
  readonly account: AccountRef;
  readonly changes: readonly ChangeLineView[];
  readonly difference: string;
  readonly by: string;
  readonly at: string;
  readonly actionId: string;
}

export interface HistoryEntryView {
  readonly at: string;
  readonly by: string;
  readonly summary: string;
  readonly difference: string;
}

export interface SubscriptionHistoryView {
  readonly view: 'subscriptionHistory';
  readonly account: AccountRef;
  readonly entries: readonly HistoryEntryView[];
}

/** One offer on a base level's offers card. */
export interface OfferLineView {
  readonly sku: string;
  readonly name: string;
  readonly trial: boolean;
  /** "£4.00 per user a month". */
  readonly price: string;
  /** Enabled as stored now. */
  readonly enabled: boolean;
  /** What the toggle shows ('true' or 'false'): the state asked for on the card, else the stored one. */
  readonly value: 'true' | 'false';
  readonly stateText: string;
  /** "3 accounts below hold it": for the offers enabled here (the ones that could be turned off). */
  readonly holdersText?: string;
  /** The admin may turn this one on or off here (an Input.Toggle). */
  readonly toggle: boolean;
  /** Why the line has no toggle on an editable card: the base level above lacks it. */
  readonly note?: string;
}

export interface OffersView {
  readonly view: 'offers';
  readonly account: AccountRef;
  readonly breadcrumbText: string;
  readonly editable: boolean;
  /** Why the card is read-only, and who can change the offers. */
  readonly readOnlyReason?: string;
  /** "5 of 8 offers enabled". */
  readonly summary: string;
  readonly lines: readonly OfferLineView[];
  readonly version: string;
  readonly banner?: string;
}

/** An account that still holds an offer, as a row that opens it. */
export interface HolderView {
  readonly id: string;
  readonly name: string;
  readonly kindLabel: string;
}

export interface OfferChangeView {
  readonly sku: string;
  readonly name: string;
  readonly trial: boolean;
  /** "Enabled → Not enabled". */
  readonly change: string;
  /** What it does below: "12 accounts below can buy it". */
  readonly effect: string;
}

export interface OfferRefusalView {
  readonly sku: string;
  readonly name: string;
  readonly message: string;
  /** For a refused turn-off: the first accounts that hold it. */
  readonly holders: readonly HolderView[];
  /** "and 9 more", when more hold it than are listed. */
  readonly moreText?: string;
}

export interface OfferReviewView {
  readonly view: 'offerReview';
  readonly account: AccountRef;
  readonly changes: readonly OfferChangeView[];
  readonly refused: readonly OfferRefusalView[];
  /** Something to say above the changes, e.g. that a confirmation found the rules changed. */
  readonly banner?: string;
  /** Carried by "Update offers": the idempotency key and the version reviewed. */
  readonly reviewId: string;
  readonly version: string;
  /** The changes "Update offers" applies, by SKU ('on' or 'off'): the accepted ones only. */
  readonly accepted: Readonly<Record<string, string>>;
  /** Every state asked for, by SKU, carried by "Back". */
  readonly requested: Readonly<Record<string, string>>;
}

export interface OffersUpdatedView {
  readonly view: 'offersUpdated';
  readonly account: AccountRef;
  readonly changes: readonly OfferChangeView[];
  readonly by: string;
  readonly at: string;
  readonly actionId: string;
}

/** An account card to share in any chat (compose-box search, link unfurling): Adaptive Cards 1.3. */
export interface AccountCardView {
  readonly view: 'accountCard';
  readonly account: AccountRef;
  readonly brandName: string;
  readonly breadcrumbText: string;
  readonly childCount: number;
  readonly childCountText: string;
  readonly portals: readonly PortalLink[];
}

/** Sent unasked to an admin's personal chat: someone else changed subscriptions they look after. */
export interface ChangeNoticeView {
  readonly view: 'changeNotice';
  /** "Subscriptions changed" or "Offers changed". */
  readonly title: string;
  readonly account: AccountRef;
  /** From the reader's own scope root: nothing above it is named. */
  readonly breadcrumbText: string;
  readonly changes: readonly ChangeLineView[];
  /** Offers turned on or off (an offer change), as "Name (SKU): turned off". */
  readonly offerChanges: readonly { readonly name: string; readonly sku: string; readonly state: string }[];
  /** Absent for an offer change, which costs nothing by itself. */
  readonly difference?: string;
  readonly by: string;
  readonly at: string;
}

/** What the admin receives unasked, and the switches for it. */
export interface NoticesView {
  readonly view: 'notices';
  readonly changeNotices: boolean;
  readonly digest: boolean;
  /** When the digest comes ("08:00") and in which time zone ("Europe/London", else "UTC"). */
  readonly digestAt: string;
  readonly timeZone: string;
  /** Switchboard has a personal chat with the admin to send to. */
  readonly reachable: boolean;
  readonly banner?: string;
}

/** The daily trial digest: trials ending soon or just ended, by account. */
export interface TrialDigestView {
  readonly view: 'trialDigest';
  /** The reader's own date it is for (YYYY-MM-DD). */
  readonly day: string;
  /** "2 trials ending within 7 days; 1 ended in the last 7 days." */
  readonly summary: string;
  readonly accounts: readonly {
    readonly account: AccountRef;
    /** From the reader's own scope root. */
    readonly breadcrumbText: string;
    readonly trials: readonly { readonly name: string; readonly sku: string; readonly quantityText: string; readonly countdown: string; readonly endsOn: string; readonly ended: boolean }[];
  }[];
}

export type View =
  | WhereAmIView
  | TreeView
  | PortalView
  | SwitchView
  | SearchView
  | HelpView
  | ErrorView
  | SubscriptionsView
  | SubscriptionReviewView
  | SubscriptionsUpdatedView
  | SubscriptionHistoryView
  | OffersView
  | OfferReviewView
  | OffersUpdatedView
  | AccountCardView
  | ChangeNoticeView
  | NoticesView
  | TrialDigestView;
