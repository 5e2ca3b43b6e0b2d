import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { SCREENSHOTS_DIR } from './paths';

/** Opens the workbench of a running code-server and waits until it has rendered. */
export async function openWorkbench(browser: Browser, server: CodeServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.workbenchUrl());
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/** Saves a screenshot under test-artifacts/screenshots (ignored by git; CI keeps the folder). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Runs a command by its palette title (F1 never collides with browser shortcuts), then waits for the
 * palette to close. Pass `waitClosed: false` for a command that opens a quick input of its own at once
 * (a wizard, a pick): the quick input may then never be seen closed.
 */
export async function runCommand(page: Page, title: string, options: { waitClosed?: boolean } = {}): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  if (options.waitClosed === false) return;
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Clicks an activity-bar container by its title and returns the side bar. */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const item = page.locator(`.activitybar .action-item [aria-label^="${title}"]`).first();
  await item.waitFor({ timeout: 60_000 });
  await item.click();
  const sidebar = page.locator('.part.sidebar');
  await sidebar.waitFor({ timeout: 10_000 });
  return sidebar;
}

/** The pane of a view in the side bar, found by its header's title. */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${title}"]`) });
}

/** Expands a collapsed view pane (VS Code collapses all but the first when space is short). */
export async function expandPane(page: Page, title: string): Promise<Locator> {
  const pane = viewPane(page, title);
  const header = pane.locator('.pane-header');
  await header.waitFor({ timeout: 10_000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** Waits until the visible Output panel's text matches; Monaco renders spaces as U+00A0. */
export async function waitOutput(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const lines = page.locator('.part.panel .output-view .monaco-editor .view-lines');
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = ((await lines.count()) ? await lines.first().innerText() : '').replace(/\u00a0/g, ' ');
    if (pattern.test(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`the Output panel never matched ${pattern}; it showed: ${JSON.stringify(text.slice(-2000))}`);
}

/** Waits for a notification toast whose message contains the text. */
export async function waitNotification(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  await toast.waitFor({ timeout: timeoutMs });
  return toast;
}
