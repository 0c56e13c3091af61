/**
 * The world of an end-to-end suite: a real Redis, a daemon process on it, code-server with our
 * extension, and Chromium on the workbench; all stopped after the suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SwitchboardClient } from '../../client/client';
import { launchChromium, startWorkbench, type Workbench, type WorkbenchOptions } from './code-server';
import { spawnDaemon, type DaemonProcess } from './daemon-process';
import { startRedis, type TestRedis } from './redis-server';

export class E2eEnv {
  redis?: TestRedis;
  stateDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  daemon?: DaemonProcess;
  workbench?: Workbench;
  browser?: Browser;
  private readonly clients: SwitchboardClient[] = [];

  /** Starts (or starts again) the daemon on the suite's state dir and Redis. */
  async startDaemon(): Promise<DaemonProcess> {
    this.redis ??= await startRedis();
    this.daemon = await spawnDaemon(this.stateDir, ['--redis', this.redis.url]);
    return this.daemon;
  }

  async stopDaemon(): Promise<void> {
    this.daemon?.child.kill('SIGTERM');
    await this.daemon?.exited;
  }

  /** An SDK client on the current daemon (closed with the suite). */
  async client(): Promise<SwitchboardClient> {
    const client = await SwitchboardClient.connect({ url: this.daemon!.url, token: this.daemon!.token });
    this.clients.push(client);
    return client;
  }

  /** code-server pointed at the suite's daemon, and a Chromium page on it (`query` adds to the workbench URL; `settings` to the user's). */
  async openWorkbench(options: Partial<WorkbenchOptions> & { query?: (workbench: Workbench) => string }): Promise<Page> {
    const workbench = await startWorkbench({
      ...options,
      settings: { ...options.settings, 'switchboard.stateDir': this.stateDir, 'switchboard.autoStart': false },
      // The state dir also the way a shell would pass it: after a window reload, code-server at
      // times starts the extension host before the user's settings are in its configuration (6 of
      // 14 reloads looked in the default state dir first, one never got them in 60 s), and the
      // restored window then stayed offline. The setting still wins wherever it is read.
      env: { ...(options.env ?? process.env), SWITCHBOARD_STATE_DIR: this.stateDir },
    });
    this.workbench = workbench;
    this.browser = await launchChromium();
    const page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbench.url + (options.query?.(workbench) ?? ''));
    return page;
  }

  async dispose(): Promise<void> {
    await this.browser?.close();
    await this.workbench?.stop();
    for (const client of this.clients) client.close();
    await this.stopDaemon();
    await this.redis?.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** An E2eEnv torn down after the suite. */
export function useE2eEnv(): E2eEnv {
  const env = new E2eEnv();
  after(() => env.dispose());
  return env;
}
