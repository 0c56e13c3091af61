/** Subscriptions across a reconnect: one unsubscribed while its resubscribe is on its way leaves nothing behind. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient } from '../../client/client';
import type { PushedEvent } from '../../protocol/types';
import { startTestDaemon } from '../helpers/daemon';
import { startRedis } from '../helpers/redis-server';

type Call = (method: string, params: unknown, options?: unknown) => Promise<unknown>;

describe('SDK: resubscribing after a reconnect', () => {
  it('an unsubscribe made while its resubscribe is on its way leaves no subscription on the daemon and no pushes', async () => {
    const redis = await startRedis();
    const stateDir = mkdtempSync(join(tmpdir(), 'sb-resubscribe-')); // the same token after the restart
    let daemon = await startTestDaemon(redis.url, { stateDir });
    try {
      const port = daemon.daemon.port;
      const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: { initialDelayMs: 20, maxDelayMs: 200 } });
      const dropped: PushedEvent[] = [];
      let sawLast!: () => void;
      const last = new Promise<void>((resolve) => (sawLast = resolve));
      await client.subscribe(['agents'], (event) => (event.data as { agentId?: string }).agentId === 'second-after' && sawLast());
      const gone = await client.subscribe(['agents'], (event) => dropped.push(event));
      // The moment: the second subscription's subscribe has been sent on the new connection.
      const connection = (client as unknown as { connection: { call: Call } }).connection;
      const call = connection.call.bind(connection);
      let subscribes = 0;
      let unsubscribed: Promise<void> | undefined;
      connection.call = (method, params, options) => {
        const sent = call(method, params, options);
        if (method === 'subscribe' && ++subscribes === 2) unsubscribed = gone.unsubscribe();
        return sent;
      };
      const reconnected = new Promise<void>((resolve) => client.once('reconnected', resolve));
      await daemon.stop();
      daemon = await startTestDaemon(redis.url, { stateDir, port });
      await reconnected;
      await unsubscribed;
      assert.equal(subscribes, 2, 'both subscriptions were being resubscribed');

      const metrics = await (await fetch(`${daemon.httpUrl}/metrics`, { headers: { Authorization: `Bearer ${daemon.token}` } })).text();
      assert.match(metrics, /^switchboard_subscriptions 1$/m, 'only the kept subscription is on the daemon');
      const other = await daemon.client();
      await other.agents.start({ agentId: 'first-after' });
      await other.agents.start({ agentId: 'second-after' });
      await last; // pushes come in order: the dropped subscription's copies would have come by now
      assert.deepEqual(dropped, []);
      client.close();
    } finally {
      await daemon.stop();
      await redis.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
