import { join, resolve } from 'node:path';

/** Where the harness keeps things: all under the repository, all ignored by git. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? join(REPO_ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');
export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
