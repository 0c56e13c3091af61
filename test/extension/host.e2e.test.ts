/**
 * Runs test/extension/host/suites.ts inside a real extension host: code-server opened with the
 * test payload (extensionDevelopmentPath + extensionTestsPath, as @vscode/test-electron passes
 * them), against a real daemon seeded here. The host writes mocha's JSON report to a file; this
 * driver waits for it and fails with every failed host test's message.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { useE2eEnv } from '../helpers/e2e-env';
import { seedDaemon } from './host/seed';

const ROOT = resolve(__dirname, '../..');

interface MochaReport {
  stats: { tests: number; passes: number; failures: number };
  passes: { fullTitle: string }[];
  failures: { fullTitle: string; err: { message: string; stack?: string } }[];
}

describe('extension integration tests inside the VS Code extension host', function () {
  this.timeout(180_000);
  const env = useE2eEnv();

  it('passes every host suite test', async () => {
    assert.ok(existsSync(join(ROOT, 'dist-test/host-tests.js')), 'dist-test/host-tests.js is built (npm test builds it)');
    await env.startDaemon();
    const client = await env.client();
    const seed = await seedDaemon(client);

    const results = join(mkdtempSync(join(tmpdir(), 'sb-host-results-')), 'report.json');
    const reportWritten = fileAppears(results, 150_000);
    // The workbench URL's payload names the extension under development and the test module (as remote URIs).
    await env.openWorkbench({
      env: { ...process.env, SWITCHBOARD_HOST_RESULTS: results, SWITCHBOARD_HOST_SEED: JSON.stringify(seed) },
      query: (workbench) =>
        `&payload=${encodeURIComponent(
          JSON.stringify([
            ['extensionDevelopmentPath', workbench.remote(ROOT)],
            ['extensionTestsPath', workbench.remote(join(ROOT, 'dist-test/host-tests.js'))],
          ]),
        )}`,
    });
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
