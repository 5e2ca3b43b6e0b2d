/** Sockets and timers alive in this process: what a client must give back when it closes. */
export function liveHandles(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length,
    timers: resources.filter((r) => r === 'Timeout').length,
  };
}

/**
 * Resolves when `condition` holds, checking after every turn of the event loop; fails after `ms` with
 * `what` so a broken test says what it waited for instead of hanging.
 */
export async function eventually(what: string, condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
