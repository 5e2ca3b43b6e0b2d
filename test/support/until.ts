/** Polls `check` until it holds; fails after `ms` naming what was awaited. For tests that watch live state. */
export async function until(check: () => boolean, what = 'the condition', ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls `get` until it returns a value, and returns it; fails after `ms` naming what was awaited. */
export async function untilValue<T>(get: () => T | undefined, what = 'a value', ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
