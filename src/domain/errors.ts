/**
 * Domain errors. Each is a typed class so the Teams edge can map it to its own card;
 * none carries a stack trace to the user.
 */
/** Every code a domain error may carry: the Teams edge maps each to its own card. */
export type ErrorCode = 'notAnAdmin' | 'notFound' | 'notAllowed' | 'invalidAction' | 'unavailable' | 'tenantNotAllowed';

export abstract class SwitchboardError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller holds no membership on any account. */
export class NotAnAdminError extends SwitchboardError {
  readonly code = 'notAnAdmin';
  constructor() {
    super('You are not an administrator of any account.');
  }
}

/** The account does not exist, or (to reveal nothing) lies outside the caller's scopes. */
export class AccountNotFoundError extends SwitchboardError {
  readonly code = 'notFound';
  constructor(
    readonly reference: string,
    message = `No account matching "${reference}" was found among the accounts you administer.`,
  ) {
    super(message);
  }
}

/** The account is in scope but the caller's roles do not allow this action there. */
export class NotAllowedError extends SwitchboardError {
  readonly code = 'notAllowed';
  constructor(message: string, readonly requiredRoles: readonly string[] = []) {
    super(message);
  }
}

/** The action or its data is malformed (forged card data, unknown verb, bad paging token). */
export class InvalidActionError extends SwitchboardError {
  readonly code = 'invalidAction';
}

/** The directory could not answer (storage down or too slow). */
export class DirectoryUnavailableError extends SwitchboardError {
  readonly code = 'unavailable';
  /** `reason`: a short phrase safe to show an operator (/readyz), never data or an endpoint. */
  constructor(
    override readonly cause?: unknown,
    readonly reason?: string,
  ) {
    super('The directory is unavailable. Try again in a moment.');
  }
}

/** The caller's organisation is not on the tenant allow-list. */
export class TenantNotAllowedError extends SwitchboardError {
  readonly code = 'tenantNotAllowed';
  constructor() {
    super('Switchboard is not enabled for your organisation.');
  }
}
