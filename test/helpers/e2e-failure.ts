/**
 * What an end-to-end test that failed leaves behind to read the failure from, on a CI machine
 * nobody can look at: a screenshot of the workbench, the rows every tree view showed (their
 * accessible names, which the tests wait for), and what the extension logged.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { extensionLogs } from './extension-log';

export async function reportFailure(test: Mocha.Test | undefined, page: Page | undefined, userDataDir: string | undefined, shotsDir: string, prefix: string): Promise<void> {
  if (test?.state !== 'failed' || !page) return;
  await page.screenshot({ path: join(shotsDir, `${prefix}-failed-${test.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
  const rows = await page.getByRole('treeitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? item.textContent ?? ''));
  process.stdout.write(`--- "${test.title}" failed; the tree rows shown:\n${rows.map((row) => `  ${row}`).join('\n')}\n`);
  if (userDataDir) process.stdout.write(extensionLogs(userDataDir));
}
