import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyDecision, PolicyDocument, ToolSpec } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { runCli } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';

describe('switchboard policy / tools / check', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let d: TestDaemon;
  const cli = (...args: string[]) => runCli([...args, '--state-dir', d.stateDir]);
  const file = (name: string, text: string) => {
    const path = join(d.stateDir, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url);
    await d.rpc('tool.register', { name: 'shell', version: '1.0.0', flags: ['shell'], schema: { type: 'object' } });
    await d.rpc('tool.register', { name: 'search', version: '2.1.0', flags: [], schema: { type: 'object' } });
    await d.rpc('policy.check', { agentId: 'a', tool: 'search:2.1.0' });
  });
  after(async () => {
    await d.stop();
    await redis.stop();
  });

  it('gets the default policy, sets one from a file, and refuses a stale --expected-version', async () => {
    const got = await cli('policy', 'get');
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^version 0 \(built-in default\)/);
    const policy = { agents: [{ agent: 'ops-*', allow: ['*'], approvalFlags: ['shell'] }, { agent: '*', allow: ['search'] }] };
    const set = await cli('policy', 'set', file('policy.json', JSON.stringify(policy)));
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout.trim(), 'policy version 1');
    const doc = JSON.parse((await cli('policy', 'get', '--json')).stdout) as PolicyDocument;
    assert.deepEqual([doc.version, doc.policy, doc.updatedBy], [1, policy, 'switchboard-cli']);
    const stale = await cli('policy', 'set', file('policy.json', JSON.stringify(policy)), '--expected-version', '0');
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /live policy is version 1, not 0/);
    const invalid = await cli('policy', 'set', file('bad.json', JSON.stringify({ agents: [{ agent: 'x', argRules: [{ tool: 't', field: 'f', pattern: '(', then: 'deny' }] }] })));
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /policy\.agents\[0\]\.argRules\[0\]\.pattern/);
    const notJson = await cli('policy', 'set', file('broken.json', '{agents'));
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /broken\.json is not valid JSON/);
    assert.equal((await cli('policy', 'set', 'x.json', '--expected-version', 'one')).code, 2);
  });

  it('lists the tools with flags, status and last use', async () => {
    const text = await cli('tools');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^NAME\s+VERSION\s+FLAGS\s+STATUS\s+LAST USED/m);
    assert.match(text.stdout, /^shell\s+1\.0\.0\s+shell\s+active\s+never$/m);
    const tools = JSON.parse((await cli('tools', '--json')).stdout) as ToolSpec[];
    assert.deepEqual(tools.map((t) => `${t.name}:${t.version}`), ['search:2.1.0', 'shell:1.0.0']);
  });

  it('checks a call: allowed, needs approval, denied; --args must be a JSON object', async () => {
    assert.match((await cli('check', 'reader', 'search')).stdout, /^allowed: /);
    assert.match((await cli('check', 'ops-1', 'shell', '--args', '{"command":"ls"}')).stdout, /^needs approval: shell:1\.0\.0 needs approval: it uses shell/);
    const denied = await cli('check', 'reader', 'shell', '--json');
    assert.equal((JSON.parse(denied.stdout) as PolicyDecision).allowed, false);
    assert.equal((await cli('check', 'reader', 'shell', '--args', '[1]')).code, 1);
    assert.equal((await cli('check', 'reader', 'shell', '--args', '{nope')).code, 2);
  });
});
