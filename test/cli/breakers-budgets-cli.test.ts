import assert from 'node:assert/strict';
import type { Breaker, Budget } from '../../protocol/types';
import { BREAKER_DEFAULTS } from '../../protocol/safety';
import { cliSuite } from '../helpers/cli-suite';

describe('switchboard breakers / breaker reset / budgets / budget set', function () {
  this.timeout(20_000);
  const suite = cliSuite();
  const { cli } = suite;

  before(async () => {
    for (let i = 0; i < BREAKER_DEFAULTS.consecutiveFailures; i++) {
      await suite.daemon.rpc('outcome.record', { agentName: 'cli-broken', actionType: 'cli.tool', status: 'failure', durationMs: 1 });
    }
    await suite.daemon.rpc('breaker.list', {}); // the fed outcomes are in before the CLI looks
  });

  it('lists breakers as a table and as JSON, and resets one by name', async () => {
    const text = await cli('breakers');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^NAME\s+STATE\s+FAILURES\s+OPENED\s+RETRY IN/m);
    assert.match(text.stdout, /agent:cli-broken\s+open\s+5\s+\d+s ago\s+\d+s/);
    const json = JSON.parse((await cli('breakers', '--json')).stdout) as Breaker[];
    assert.deepEqual(json.map((b) => [b.name, b.state]), [['agent:cli-broken', 'open'], ['tool:cli.tool', 'open']]);

    const reset = await cli('breaker', 'reset', 'tool:cli.tool');
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /closed tool:cli\.tool/);
    const after = JSON.parse((await cli('breakers', '--json')).stdout) as Breaker[];
    assert.deepEqual(after.map((b) => b.name), ['agent:cli-broken']);
    const unknown = await cli('breaker', 'reset', 'tool:never');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /has seen no calls/);
  });

  it('sets a budget and lists budgets with their use', async () => {
    const set = await cli('budget', 'set', 'agent:cli-spender', '--tokens', '1000', '--cost', '2.5', '--period', '3600');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /agent:cli-spender\s+ok\s+0 \/ 1000\s+\$0\.0000 \/ \$2\.5000\s+3600s/);
    await suite.daemon.rpc('outcome.record', { agentName: 'cli-spender', actionType: 'llm.call', status: 'success', durationMs: 1, tokensUsed: 900, costUsd: 0.5 });
    await suite.daemon.rpc('budget.list', {});
    const text = await cli('budgets');
    assert.match(text.stdout, /^SCOPE\s+STATE\s+TOKENS\s+COST\s+PERIOD\s+RESETS IN/m);
    assert.match(text.stdout, /agent:cli-spender\s+warning\s+900 \/ 1000\s+\$0\.5000 \/ \$2\.5000/);
    const json = JSON.parse((await cli('budgets', '--json')).stdout) as Budget[];
    assert.deepEqual(json[0]?.used, { tokens: 900, costUsd: 0.5 });
    const neither = await cli('budget', 'set', 'agent:cli-spender', '--period', '3600');
    assert.notEqual(neither.code, 0);
    assert.match(neither.stderr, /tokens or costUsd/);
  });
});
