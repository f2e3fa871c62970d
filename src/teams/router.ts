import { errorView, unknownCommandView, type Confirming } from '../app/error-view';
import type { View } from '../app/views';
import type { Caller } from '../domain/admins';
import { DirectoryUnavailableError, InvalidActionError, NotAnAdminError } from '../domain/errors';
import type { Position } from '../domain/navigation';
import { errorForLog } from '../log-error';
import { ActionInput, type ActionRequest } from './action-request';
import type { HandlerResult, Services } from './handlers/handler';
import { VERBS, type VerbTable } from './verbs';

export interface RouteResult {
  readonly view: View;
  /** Present only when the action succeeded and moved the admin. */
  readonly position?: Position;
  /** Set when an unexpected error was turned into the generic error card (for logging). */
  readonly failure?: unknown;
}

/** The part of a pino logger the router needs. */
export interface Logger {
  error(details: Record<string, unknown>, message: string): void;
}

/** The confirmation verbs, whose "unavailable" card says to press the same button again. */
const CONFIRMING: ReadonlyMap<string, Confirming> = new Map([
  ['confirm', 'subscriptions'],
  ['confirmOffers', 'offers'],
]);

/** Teams gives an invoke about 10 to 15 s; answer well within it even when storage hangs. */
export const DEFAULT_TURN_BUDGET_MS = 5_000;

export class ActionRouter {
  constructor(
    private readonly services: Services,
    private readonly logger: Logger,
    private readonly turnBudgetMs = DEFAULT_TURN_BUDGET_MS,
    private readonly verbs: VerbTable = VERBS,
  ) {}

  /** Runs the action for `caller` (undefined when Teams did not say who it is). Never throws. */
  async route(request: ActionRequest, caller: Caller | undefined, position: Position | undefined, recents: readonly string[] = []): Promise<RouteResult> {
    const handler = this.verbs.handler(request.verb);
    if (!handler && request.source.kind === 'typed') return { view: unknownCommandView(typeof request.data.text === 'string' ? request.data.text : request.verb) };
    try {
      if (!handler) throw new InvalidActionError('The card sent an action Switchboard does not understand.');
      if (!caller) throw new NotAnAdminError();
      const run = handler({ caller, position, recents, input: new ActionInput(request), services: this.services });
      const result: HandlerResult = await withinBudget(run, this.turnBudgetMs, request.verb);
      return result;
    } catch (error) {
      const view = errorView(error, CONFIRMING.get(request.verb));
      if (view.code === 'internal') {
        this.logger.error({ verb: request.verb, err: errorForLog(error, { stack: true }) }, 'action failed');
        return { view, failure: error };
      }
      return { view };
    }
  }
}

/**
 * The handler's answer, or "unavailable" once the budget is spent. A late write still completes
 * on its own; confirmations carry an idempotency key, so pressing again answers with its result.
 */
function withinBudget<T>(work: Promise<T>, budgetMs: number, verb: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DirectoryUnavailableError(new Error(`${verb} took longer than ${budgetMs} ms`))), budgetMs);
  });
  work.catch(() => undefined); // a late failure is already answered by the timeout
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
