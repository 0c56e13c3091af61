/**
 * Runs test/extension/host/suites.ts inside a real extension host: code-server opened with the
 * test payload (extensionDevelopmentPath + extensionTestsPath, as @vscode/test-electron passes
 * them), against a real daemon seeded here. The host writes mocha's JSON report to a file; this
 * driver waits for it and fails with every failed host test's message.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { SwitchboardClient } from '../../client/client';
import { launchChromium, startWorkbench, type Workbench } from '../helpers/code-server';
import { spawnDaemon, type DaemonProcess } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { seedDaemon } from './host/seed';

const ROOT = resolve(__dirname, '../..');

interface MochaReport {
  stats: { tests: number; passes: number; failures: number };
  passes: { fullTitle: string }[];
  failures: { fullTitle: string; err: { message: string; stack?: string } }[];
}

describe('extension integration tests inside the VS Code extension host', function () {
  this.timeout(180_000);
  let redis: TestRedis;
  let stateDir: string;
  let daemon: DaemonProcess;
  let workbench: Workbench;
  let browser: Browser;

  after(async () => {
    await browser?.close();
    await workbench?.stop();
    daemon?.child.kill('SIGTERM');
    await daemon?.exited;
    await redis?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('passes every host suite test', async () => {
    assert.ok(existsSync(join(ROOT, 'dist-test/host-tests.js')), 'dist-test/host-tests.js is built (npm test builds it)');
    redis = await startRedis();
    stateDir = mkdtempSync(join(tmpdir(), 'sb-host-'));
    daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token });
    const seed = await seedDaemon(client);
    client.close();

    const results = join(mkdtempSync(join(tmpdir(), 'sb-host-results-')), 'report.json');
    workbench = await startWorkbench({
      settings: { 'switchboard.stateDir': stateDir, 'switchboard.autoStart': false },
      env: { ...process.env, SWITCHBOARD_HOST_RESULTS: results, SWITCHBOARD_HOST_SEED: JSON.stringify(seed) },
    });
    const payload = [
      ['extensionDevelopmentPath', workbench.remote(ROOT)],
      ['extensionTestsPath', workbench.remote(join(ROOT, 'dist-test/host-tests.js'))],
    ];
    const reportWritten = fileAppears(results, 150_000);
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${workbench.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await reportWritten;

    const report = JSON.parse(readFileSync(results, 'utf8')) as MochaReport;
    for (const pass of report.passes) process.stdout.write(`      ✔ [host] ${pass.fullTitle}\n`);
    const failures = report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`).join('\n');
    assert.equal(report.stats.failures, 0, failures);
    assert.ok(report.stats.passes >= 7, `${report.stats.passes} host tests passed`);
  });
});

/** Resolves once the file exists and holds JSON (mocha writes it when the run ends). */
function fileAppears(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const complete = () => {
      try {
        JSON.parse(readFileSync(file, 'utf8'));
        return true;
      } catch {
        return false;
      }
    };
    const watcher = watch(dirname(file), () => {
      if (!complete()) return;
      clearTimeout(timer);
      watcher.close();
      resolvePromise();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`the extension host wrote no test report to ${file} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}
