import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../../log/logSink';

/**
 * Calls `onChange` when something in `dir` may have changed: at once through fs.watch where it works,
 * and every `pollMs` regardless, because fs.watch misses events on network and some container file
 * systems (and fails outright when inotify watches run out). The caller must tolerate spurious calls.
 */
export function watchDirectory(
  dir: string,
  onChange: () => void,
  options: { readonly pollMs: number; readonly log?: Logger },
): { close(): void } {
  let watcher: FSWatcher | undefined;
  const stopWatching = () => {
    watcher?.close();
    watcher = undefined;
  };
  try {
    watcher = watch(dir, { persistent: false }, () => onChange());
    watcher.on('error', (error) => {
      options.log?.debug(`watching ${dir} failed; polling every ${options.pollMs} ms instead`, error);
      stopWatching();
    });
  } catch (error) {
    options.log?.debug(`cannot watch ${dir}; polling every ${options.pollMs} ms instead`, error);
  }
  const poll = setInterval(onChange, options.pollMs);
  poll.unref();
  return {
    close: () => {
      clearInterval(poll);
      stopWatching();
    },
  };
}
