/** The workbench's command palette, driven the way a user does: F1, a title, Enter. */
import type { Page } from 'playwright-core';

/**
 * Runs the command titled `title` (its full palette label, "Category: Title") and returns once
 * Enter was pressed on it.
 *
 * F1 pressed while a webview has focus reaches the workbench as a message from the webview's
 * frame: keys typed before the quick input has focus go to the webview and are lost (a reload
 * once ran ">eveloper: Reload Window"), and Enter then runs whatever row is on top, which need not
 * be the one asked for. So the title is filled into the quick input itself, and Enter waits until
 * the selected row is the command.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  // A webview whose page is still loading swallows F1 (CI once saw the palette never open under
  // load, an approval panel focused): then the title bar's command center opens it, as a user would.
  if (!(await input.waitFor({ timeout: 5_000 }).then(() => true, () => false))) await page.locator('.command-center-center').click();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await input.press('Enter');
}
