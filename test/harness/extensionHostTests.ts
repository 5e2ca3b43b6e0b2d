import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './chromium';
import { startCodeServer } from './codeServer';

export interface ExtensionTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly error?: string;
}

export interface ExtensionTestRun {
  /** The extension host's exit code (0 = every test passed), or 'timeout'. */
  readonly exitCode: number | 'timeout';
  readonly results: readonly ExtensionTestResult[];
  readonly console: string;
}

// Workbench chatter that is not from the tests.
const NOISE = /^(Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore|Ignoring fetching additional builtin|\[AgentHost\])/;

/**
 * Runs a mocha suite inside code-server's real extension host, the contract @vscode/test-electron has
 * (extensionDevelopmentPath + extensionTestsPath exporting run()). code-server takes both from the
 * workbench URL's payload and reports the exit code through window.codeAutomationExit.
 */
export async function runExtensionHostTests(opts: {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}): Promise<ExtensionTestRun> {
  const resultFile = join(tmpdir(), `mesos-ops-ext-results-${process.pid}-${Date.now()}.json`);
  const server = await startCodeServer({ env: { MESOS_OPS_TEST_RESULTS: resultFile, ...opts.env } });
  const browser = await launchChromium();
  let consoleText = '';
  try {
    const page = await browser.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (!NOISE.test(line)) consoleText += line + '\n';
    });
    await page.goto(
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remoteUri(opts.extensionDevelopmentPath)],
        ['extensionTestsPath', server.remoteUri(opts.extensionTestsPath)],
      ]),
    );
    const exitCode = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.timeoutMs ?? 180_000).unref()),
    ]);
    let results: ExtensionTestResult[] = [];
    if (existsSync(resultFile)) {
      results = (JSON.parse(readFileSync(resultFile, 'utf8')) as { results: ExtensionTestResult[] }).results;
      rmSync(resultFile);
    }
    if (exitCode === 'timeout') consoleText += `\n--- code-server log ---\n${server.log().slice(-4000)}`;
    return { exitCode, results, console: consoleText };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
