import type { Navigator } from '../../app/navigator';
import type { OfferChanges } from '../../app/offer-changes';
import type { NoticeSettings } from '../../app/notice-settings';
import type { SubscriptionChanges } from '../../app/subscription-changes';
import type { View } from '../../app/views';
import type { Caller } from '../../domain/admins';
import type { Position } from '../../domain/navigation';
import type { ActionInput } from '../action-request';

/**
 * What every action handler gets: who is asking, where they stand, and what the card or command
 * said (read through `input`, which checks each value and words a bad one for how it arrived).
 */
export interface ActionContext {
  readonly caller: Caller;
  readonly position: Position | undefined;
  /** The accounts the admin visited most recently, newest first, as stored: not yet re-authorized. */
  readonly recents: readonly string[];
  readonly input: ActionInput;
  readonly services: Services;
}

export interface Services {
  readonly navigator: Navigator;
  readonly subscriptions: SubscriptionChanges;
  readonly offers: OfferChanges;
  readonly notices: NoticeSettings;
}

/** A handler's answer: the view to show, and the admin's new position when it moved them. */
export interface HandlerResult {
  readonly view: View;
  readonly position?: Position;
}

export type Handler = (ctx: ActionContext) => Promise<HandlerResult>;
