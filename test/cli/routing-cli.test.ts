/** `switchboard route <capability>`: the ranked table and --json. */
import assert from 'node:assert/strict';
import type { RouteCandidate } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { runCli } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';

describe('switchboard route', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let d: TestDaemon;
  const cli = (...args: string[]) => runCli([...args, '--state-dir', d.stateDir]);

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url);
    for (const agentId of ['busy', 'idle'])
      await d.rpc('agent.start', { agentId, ttlSeconds: 60, metadata: { capabilities: [{ name: 'summarize', version: agentId === 'busy' ? '1' : '2' }] } });
    await d.rpc('signal.send', { from: 'x', to: 'busy', type: 'work' });
  });
  after(async () => {
    await d.stop();
    await redis.stop();
  });

  it('prints rank, agent, score and the three components, or JSON; none says so', async () => {
    const text = await cli('route', 'summarize');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^RANK\s+AGENT\s+VERSION\s+SCORE\s+QUEUE\s+HEARTBEAT\s+SUCCESS\s+DEGRADED/m);
    assert.match(text.stdout, /^1\s+idle\s+2\s+0\.\d{3}\s+1\.000 \(0 pending\)/m);
    assert.match(text.stdout, /^2\s+busy\s+1\s+0\.\d{3}\s+0\.500 \(1 pending\)/m);
    const json = JSON.parse((await cli('route', 'summarize', '--cap-version', '1', '--json')).stdout) as RouteCandidate[];
    assert.deepEqual(json.map((r) => r.agentId), ['busy']);
    const none = await cli('route', 'translate');
    assert.equal(none.code, 0);
    assert.match(none.stdout, /no live agent advertises translate/);
  });
});
