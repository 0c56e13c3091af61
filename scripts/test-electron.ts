/**
 * `npm run test:electron`: the in-host suites (test/extension/host) in desktop VS Code through
 * @vscode/test-electron 2.5.x, against a seeded daemon — for machines that can download VS Code.
 * Not part of `npm test`: the machines this project's CI runs on cannot fetch VS Code, so there
 * the same suites run inside code-server (test/extension/host.e2e.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { SwitchboardClient } from '../client/client';
import { seedDaemon } from '../test/extension/host/seed';
import { spawnDaemon } from '../test/helpers/daemon-process';
import { startRedis } from '../test/helpers/redis-server';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  const redis = await startRedis();
  const stateDir = mkdtempSync(join(tmpdir(), 'sb-electron-'));
  const daemon = await spawnDaemon(stateDir, ['--redis', redis.url]);
  try {
    const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token });
    const seed = await seedDaemon(client);
    client.close();
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist-test/host-tests.js'),
      launchArgs: [mkdtempSync(join(tmpdir(), 'sb-electron-ws-')), '--disable-workspace-trust'],
      // The extension finds the daemon through SWITCHBOARD_STATE_DIR when its setting is empty.
      extensionTestsEnv: { SWITCHBOARD_STATE_DIR: stateDir, SWITCHBOARD_HOST_SEED: JSON.stringify(seed) },
    });
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await redis.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`test:electron: ${(error as Error).message}\n`);
  process.exit(1);
});
