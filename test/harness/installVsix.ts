import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureCodeServer } from './ensureCodeServer';

/** Installs a .vsix into a fresh extensions folder with code-server's own --install-extension. */
export async function installVsix(vsix: string): Promise<{ extensionsDir: string; output: string; remove(): void }> {
  const entry = ensureCodeServer();
  const tmp = mkdtempSync(join(tmpdir(), 'mesos-ops-vsix-'));
  const extensionsDir = join(tmp, 'ext');
  mkdirSync(extensionsDir);
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'data')],
    { env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp, EXTENSIONS_GALLERY: '{}' }, timeout: 120_000 },
  );
  return { extensionsDir, output: stdout + stderr, remove: () => rmSync(tmp, { recursive: true, force: true }) };
}
