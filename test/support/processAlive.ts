import { readFileSync } from 'node:fs';

/** Running, not a zombie: in a container, orphans may stay unreaped (pid 1 does not always reap). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
