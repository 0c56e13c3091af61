import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient } from '../../../client/client';
import { silentLogger } from '../../../common/logger';
import { launchDaemon, stopDaemon } from '../../../client/daemon-launcher';
import { DaemonConnection, type LinkState } from '../../../extension/connection/daemon-connection';
import { AgentTreeModel } from '../../../extension/model/agent-tree-model';
import { FleetStore } from '../../../extension/model/fleet-store';
import { CLI, spawnDaemon, type DaemonProcess } from '../../helpers/daemon-process';
import { startRedis, type TestRedis } from '../../helpers/redis-server';

function until(connection: DaemonConnection, state: LinkState): Promise<void> {
  if (connection.state === state) return Promise.resolve();
  return new Promise((resolve) => connection.on('state', (s) => s === state && resolve()));
}

/** Resolves when the store holds what `check` wants (checked on each flush). */
function storeSatisfies(store: FleetStore, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = store.onDidChange(() => {
      if (!check()) return;
      subscription.dispose();
      resolve();
    });
  });
}

describe('extension connection against a real daemon', function () {
  this.timeout(30_000);
  let stateDir: string;
  let store: FleetStore;
  let connection: DaemonConnection;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'sb-ext-conn-'));
    store = new FleetStore(20);
  });
  afterEach(() => {
    connection?.stop();
    store.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const connect = (launch: (dir: string) => Promise<unknown>, autoStart = false) =>
    new DaemonConnection({ store, log: silentLogger, settings: () => ({ stateDir, autoStart }), launch, clientName: 'test' });

  it('resyncs after the daemon is killed and restarted: nothing lost, nothing doubled', async () => {
    const redis: TestRedis = await startRedis();
    let daemon: DaemonProcess = await spawnDaemon(stateDir, ['--redis', redis.url]);
    const port = new URL(daemon.url).port;
    try {
      const seeder = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
      for (const id of ['a', 'b', 'c']) await seeder.agents.start({ agentId: id, ttlSeconds: 600, metadata: { workflow: 'w' } });
      await seeder.approvals.create({ agentId: 'a', type: 'deploy', context: {} });
      seeder.close();

      connection = connect(() => Promise.reject(new Error('no auto-start here')));
      const states: LinkState[] = [];
      connection.on('state', (s) => states.push(s));
      await connection.start();
      await until(connection, 'connected');
      await storeSatisfies(store, () => store.agents.size === 3 && store.approvals.size === 1);

      daemon.child.kill('SIGKILL');
      await daemon.exited;
      await until(connection, 'disconnected');
      // Meanwhile, through another daemon on the same Redis: changes this connection cannot see.
      const otherDir = mkdtempSync(join(tmpdir(), 'sb-ext-other-'));
      const other = await spawnDaemon(otherDir, ['--redis', redis.url]);
      const writer = await SwitchboardClient.connect({ url: other.url, token: other.token, reconnect: false });
      await writer.agents.start({ agentId: 'during-outage', metadata: { workflow: 'w' } });
      await writer.agents.stop({ agentId: 'b', finalStatus: 'completed' });
      const [pending] = await writer.approvals.pending();
      await writer.approvals.respond({ requestId: pending!.requestId, approved: true, responder: 'x' });
      writer.close();
      other.child.kill('SIGTERM');
      await other.exited;
      rmSync(otherDir, { recursive: true, force: true });

      daemon = await spawnDaemon(stateDir, ['--redis', redis.url, '--port', port]);
      await until(connection, 'connected');
      await storeSatisfies(store, () => store.agents.has('during-outage') && store.agents.get('b')?.status === 'completed' && store.approvals.size === 0);
      const model = new AgentTreeModel(store);
      model.rebuild();
      const rows = model.children(model.children()[0]).map((n) => (n.kind === 'agent' ? n.agentId : ''));
      assert.deepEqual(rows, ['a', 'c', 'during-outage', 'b'], 'each agent once, alive first');
      assert.deepEqual(states, ['connecting', 'connected', 'disconnected', 'connected'], 'one state change per transition, not per retry');
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      await redis.stop();
    }
  });

  it('starts the bundled daemon (embedded Redis) when none runs and auto-start is on', async () => {
    connection = connect((dir) => launchDaemon({ cliPath: CLI, stateDir: dir }), true);
    await connection.start();
    await until(connection, 'connected');
    const client = connection.client!;
    await client.agents.start({ agentId: 'self-started' });
    await storeSatisfies(store, () => store.agents.has('self-started'));
    connection.stop();
    assert.ok(stopDaemon(stateDir), 'stopped through daemon.json');
  });

  it('keeps retrying (disconnected) while there is no daemon and auto-start is off', async () => {
    connection = connect(() => Promise.reject(new Error('unused')));
    await connection.start();
    assert.equal(connection.state, 'disconnected');
    assert.match(connection.lastError ?? '', /no daemon found/);
  });
});
