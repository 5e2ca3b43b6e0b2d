export type WithinResult<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/**
 * Waits for `promise`, at most `ms` (undefined: no limit) and only until `signal` aborts; never rejects.
 * Its timer and abort listener are gone when it resolves, so nothing keeps the process alive after it.
 */
export function within<T>(promise: Promise<T>, ms: number | undefined, signal?: AbortSignal): Promise<WithinResult<T>> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: WithinResult<T>) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'aborted' });
    if (signal?.aborted) {
      finish({ kind: 'aborted' });
      promise.catch(() => undefined);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) timer = setTimeout(() => finish({ kind: 'timeout' }), ms);
    promise.then(
      (value) => finish({ kind: 'done', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}
