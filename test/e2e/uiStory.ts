import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from '../harness/workbench';

/**
 * The steps of a UI test file that tells one story, each building on the one before: a step after a
 * failed one is skipped (saying which failed), and each step that passes leaves a screenshot
 * `<prefix>-<name>` in test-artifacts/screenshots.
 */
export class UiStory {
  /** The failed step's name (`<prefix>-<name>`), for UiSession.close() to screenshot as FAIL-…. */
  failed: string | undefined;

  /** `page` is asked for at each step: the session opens in before(), after the story is made. */
  constructor(
    private readonly prefix: string,
    private readonly page: () => Page,
  ) {}

  async step(t: TestContext, name: string, fn: () => Promise<void>): Promise<void> {
    if (this.failed) {
      t.skip(`${this.failed} failed`);
      return;
    }
    try {
      await fn();
      await screenshot(this.page(), `${this.prefix}-${name}`);
    } catch (err) {
      this.failed = `${this.prefix}-${name}`;
      throw err;
    }
  }
}
