import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where `mesos-ops autoscale` keeps its lease and its framework state when the config names no
 * scheduler.stateDir: $XDG_STATE_HOME/mesos-ops, else ~/.local/state/mesos-ops (the XDG base directory
 * spec's place for state that should survive a restart but is not worth backing up). A relative
 * XDG_STATE_HOME is ignored, as the spec says.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'mesos-ops');
  return join(home, '.local', 'state', 'mesos-ops');
}
