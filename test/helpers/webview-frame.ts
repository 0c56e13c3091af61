/** A webview's page inside the real workbench. */
import type { FrameLocator, Page } from 'playwright-core';

/** The content of the newest webview (VS Code nests it in two iframes); locators on it wait by themselves. */
export function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
}
