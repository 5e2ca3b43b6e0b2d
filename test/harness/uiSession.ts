import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { REPO_ROOT } from './paths';
import { openWorkbench, screenshot } from './workbench';

export interface UiSession {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Screenshot on failure, then close the browser and kill the server's process group. */
  close(failedTestName?: string): Promise<void>;
}

/**
 * One real VS Code (code-server) with this extension loaded from the repository's build, and one
 * Chromium page on its workbench. A UI test file opens one per file: starting costs seconds.
 */
export async function openUiSession(options: CodeServerOptions = {}): Promise<UiSession> {
  const server = await startCodeServer({ extensions: options.extensionsDir ? [] : [REPO_ROOT], ...options });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await openWorkbench(browser, server);
    const b = browser;
    return {
      server,
      browser: b,
      page,
      async close(failedTestName) {
        if (failedTestName) await screenshot(page, `FAIL-${failedTestName}`).catch(() => undefined);
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw new Error(`could not open the workbench: ${(err as Error).message}\n--- code-server log ---\n${server.log().slice(-3000)}`, { cause: err });
  }
}
