import type { Directory } from '../../src/directory/port';

export type Fault =
  | { readonly kind: 'none' }
  | { readonly kind: 'error' }
  /** Every call takes this long before it answers. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** What a throttled store says: a 429 the caller gave up retrying. */
  | { readonly kind: 'throttle' };

/** A Directory whose calls fail, hang or are throttled on demand: the storage going wrong under a running bot. */
export class FaultInjector {
  private fault: Fault = { kind: 'none' };
  calls = 0;

  set(fault: Fault): void {
    this.fault = fault;
  }

  decorate = (inner: Directory): Directory =>
    new Proxy(inner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'close') return value;
        return async (...args: unknown[]) => {
          this.calls++;
          const fault = this.fault;
          if (fault.kind === 'error') throw new Error('ECONNRESET: connection reset by the storage service');
          if (fault.kind === 'throttle') throw Object.assign(new Error('Request rate is large'), { code: 429, retryAfterInMs: 1000 });
          if (fault.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
}
