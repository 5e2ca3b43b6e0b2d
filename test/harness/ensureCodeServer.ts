import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_DIR, CODE_SERVER_ENTRY, REPO_ROOT } from './paths';

/** Installs code-server into the ignored cache on first use (about a minute), then returns at once. */
export function ensureCodeServer(): string {
  if (!existsSync(join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'))) {
    execFileSync('sh', [join(REPO_ROOT, 'test', 'harness', 'setup-code-server.sh'), CODE_SERVER_DIR], { stdio: 'inherit' });
  }
  if (!existsSync(CODE_SERVER_ENTRY)) throw new Error(`code-server is not at ${CODE_SERVER_ENTRY} after setup`);
  return CODE_SERVER_ENTRY;
}
