/** Tooltips in the real workbench. */
import type { Locator, Page } from 'playwright-core';

/**
 * Hovers `target` until its tooltip holds `text`, moving away between tries; returns the tooltip.
 * VS Code builds a row's tooltip on its first hover after a redraw and shows that one until the
 * next redraw: a hover that came before the figures reached the extension shows a tooltip
 * without them, and a user (or a test) hovers again to see them.
 */
export async function hoverUntil(page: Page, target: Locator, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await target.hover();
    try {
      await tooltip.waitFor({ timeout: Math.min(3_000, Math.max(1, deadline - Date.now())) });
      return tooltip;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.mouse.move(0, 0);
      await page.locator('.monaco-hover, .workbench-hover').first().waitFor({ state: 'hidden' });
    }
  }
}
