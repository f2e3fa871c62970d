/**
 * How an error goes into a log line: its class name and message, and its stack only when
 * asked (unexpected failures). Never the error object itself, whose own fields (a request,
 * a response body) could carry data the logs must not hold. A non-Error is logged as text.
 */
export interface LoggedError {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
}

export function errorForLog(error: unknown, options: { readonly stack?: boolean } = {}): LoggedError | string {
  if (!(error instanceof Error)) return String(error);
  return options.stack && error.stack !== undefined ? { type: error.name, message: error.message, stack: error.stack } : { type: error.name, message: error.message };
}
