/** The tool registry and the tool policy against a real Redis and daemons: registry, policy CAS, the decision matrix, rate limit, redaction, reload. */
import assert from 'node:assert/strict';
import type Redis from 'ioredis';
import { redisClient } from '../helpers/redis-server';
import type { SwitchboardClient } from '../../client/client';
import { ErrorCode } from '../../protocol/errors';
import type { ParamsOf } from '../../protocol/methods';
import type { PolicyDecision, SafetyPolicy } from '../../protocol/types';
import { createKeys } from '../../daemon/store/keys';
import { rejectsWith } from '../helpers/assert-rpc';
import { startTestDaemon, useDaemon, type TestDaemon } from '../helpers/daemon';
import { record, type EventLog } from '../helpers/events';
import type { TestRedis } from '../helpers/redis-server';

const keys = createKeys();
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });

const TOOLS: ParamsOf<'tool.register'>[] = [
  { name: 'search', version: '1.0.0', flags: [], schema: object({ query: { type: 'string' } }, ['query']) },
  { name: 'search', version: '2.0.0', flags: [], schema: object({ query: { type: 'string' } }, ['query']) },
  { name: 'fs.read', version: '1.0.0', flags: ['filesystem'], schema: object({ path: { type: 'string' } }, ['path']) },
  { name: 'fs.read', version: '1.1.0', flags: ['filesystem'], schema: object({ path: { type: 'string' } }, ['path']) },
  { name: 'shell', version: '0.9.0', flags: ['shell'], schema: object({ command: { type: 'string' } }) },
  { name: 'shell', version: '1.0.0', flags: ['shell'], schema: object({ command: { type: 'string' } }) },
  { name: 'http.get', version: '1.0.0', flags: ['network'], schema: object({ url: { type: 'string' } }) },
  { name: 'kv.put', version: '1.0.0', flags: [], schema: object({ key: { type: 'string' }, mode: { type: 'string' } }) },
  { name: 'deploy', version: '1.0.0', flags: [], schema: object({}) },
  { name: 'old', version: '1.0.0', flags: [], schema: object({}) },
  {
    name: 'api.call',
    version: '1.0.0',
    flags: ['network'],
    schema: object({ url: { type: 'string' }, api_key: { type: 'string' }, headers: { type: 'object' } }),
  },
];

const POLICY: SafetyPolicy = {
  agents: [
    { agent: 'blocked-*', allow: [] },
    { agent: 'reader-*', allow: ['search', 'fs.read:1.*'], deny: ['fs.read:1.0.0'] },
    {
      agent: 'ops-*',
      allow: ['*'],
      deny: ['shell:0.*'],
      requireApproval: ['deploy'],
      approvalFlags: ['shell', 'network'],
      timeoutMs: 5000,
      argRules: [
        { tool: 'fs.read', field: 'path', pattern: '^/etc/', then: 'deny', message: 'system files are off limits' },
        { tool: 'kv.put', field: 'mode', oneOf: ['overwrite'], then: 'approve' },
        { tool: 'search:2.*', field: 'query', maxLength: 50, then: 'deny' },
      ],
    },
    { agent: 'auditor-*', allow: ['fs.read'], approvalFlags: ['filesystem'] },
    { agent: 'rate-*', allow: ['search'], callsPerMinute: 3 },
    { agent: 'burst-*', allow: ['search'], callsPerMinute: 10 },
    { agent: 'secret-*', allow: ['api.call'], deny: ['api.call:0.*'] },
    { agent: 'nosy-*', allow: ['api.call'], argRules: [{ tool: 'api.call', field: 'url', pattern: 'internal', then: 'deny' }] },
    { agent: '*', allow: ['search'] },
  ],
};

type Expect = 'allowed' | 'denied' | 'approval';
/** [agent, tool, args, expected, the rule (or reason pattern) that decided] */
const MATRIX: [string, string, Record<string, unknown> | undefined, Expect, string | RegExp][] = [
  ['blocked-1', 'search', { query: 'x' }, 'denied', 'policy.agents[0].allow'],
  ['reader-1', 'search', { query: 'x' }, 'allowed', 'policy.agents[1]'],
  ['reader-1', 'fs.read:1.0.0', { path: '/tmp/a' }, 'denied', 'policy.agents[1].deny[0]'],
  ['reader-1', 'fs.read:1.1.0', { path: '/tmp/a' }, 'allowed', 'policy.agents[1]'],
  ['reader-1', 'fs.read', { path: '/tmp/a' }, 'allowed', /fs\.read:1\.1\.0/],
  ['reader-1', 'shell', { command: 'ls' }, 'denied', 'policy.agents[1].allow'],
  ['ops-1', 'shell:0.9.0', { command: 'ls' }, 'denied', 'policy.agents[2].deny[0]'],
  ['ops-1', 'shell:1.0.0', { command: 'ls' }, 'approval', /uses shell/],
  ['ops-1', 'http.get', { url: 'https://example.com' }, 'approval', /uses network/],
  ['ops-1', 'fs.read', { path: '/tmp/a' }, 'allowed', 'policy.agents[2]'],
  ['auditor-1', 'fs.read', { path: '/tmp/a' }, 'approval', /uses filesystem \(policy\.agents\[3\]\.approvalFlags\)/],
  ['ops-1', 'deploy', {}, 'approval', /requireApproval\[0\]/],
  ['ops-1', 'old:1.0.0', {}, 'denied', /"old:1\.0\.0" is deprecated/],
  ['ops-1', 'old', {}, 'denied', /every version of tool "old" is deprecated/],
  ['ops-1', 'nope', {}, 'denied', /"nope" is not registered/],
  ['ops-1', 'fs.read', { path: '/etc/passwd' }, 'denied', 'policy.agents[2].argRules[0]'],
  ['ops-1', 'kv.put', { key: 'a', mode: 'overwrite' }, 'approval', /argRules\[1\]/],
  ['ops-1', 'kv.put', { key: 'a', mode: 'append' }, 'allowed', 'policy.agents[2]'],
  ['ops-1', 'search', { query: 'q'.repeat(51) }, 'denied', 'policy.agents[2].argRules[2]'],
  ['ops-1', 'search:1.0.0', { query: 'q'.repeat(51) }, 'allowed', 'policy.agents[2]'],
  ['ops-1', 'search', { query: 5 }, 'denied', /args\.query must be string/],
  ['ops-1', 'search', {}, 'denied', /args\.query is required/],
  ['ops-1', 'search', { query: 'x', extra: 1 }, 'denied', /args\.extra is not a known field/],
  ['ops-1', 'search', { query: 'then rm -rf / now' }, 'approval', /destructive\.rm-root/],
  ['ops-1', 'search', { query: 'I want to kill myself' }, 'denied', /crisis\.self-harm/],
  ['stranger', 'search', { query: 'x' }, 'allowed', 'policy.agents[8]'],
  ['stranger', 'fs.read', { path: '/tmp' }, 'denied', 'policy.agents[8].allow'],
];

describe('safety: tool registry and policy', () => {
  let client: SwitchboardClient;
  let d: TestDaemon;
  let redis: TestRedis;
  let raw: Redis;
  let log: EventLog;
  useDaemon((env) => ({ client, d, redis } = env));
  before(async () => {
    raw = redisClient(redis.url);
    log = await record(await d.client(), ['safety']);
  });
  after(() => raw.disconnect());

  const check = (params: ParamsOf<'policy.check'>) => client.call('policy.check', params) as Promise<PolicyDecision>;

  describe('registry', () => {
    it('registers, lists by name then version, and announces and audits each change', async () => {
      for (const tool of TOOLS) await client.call('tool.register', tool);
      const deprecated = await client.call('tool.deprecate', { name: 'old', version: '1.0.0' });
      assert.equal(deprecated.status, 'deprecated');
      const listed = await client.call('tool.list', {});
      assert.deepEqual(
        listed.map((t) => `${t.name}:${t.version}:${t.status}`),
        [
          'api.call:1.0.0:active', 'deploy:1.0.0:active', 'fs.read:1.0.0:active', 'fs.read:1.1.0:active', 'http.get:1.0.0:active',
          'kv.put:1.0.0:active', 'old:1.0.0:deprecated', 'search:1.0.0:active', 'search:2.0.0:active', 'shell:0.9.0:active', 'shell:1.0.0:active',
        ],
      );
      assert.deepEqual(listed.find((t) => t.name === 'shell' && t.version === '1.0.0')!.flags, ['shell']);
      assert.ok(listed.every((t) => t.registeredAt > 0));
      await log.count((e) => e.type === 'tool.registered', TOOLS.length);
      const announced = await log.next((e) => e.type === 'tool.deprecated');
      assert.equal((announced.data as { name: string }).name, 'old');
      const kinds = (await raw.xrange(keys.safetyAudit, '-', '+')).map(([, fields]) => fields[1]);
      assert.equal(kinds.filter((k) => k === 'tool_registered').length, TOOLS.length);
      assert.equal(kinds.filter((k) => k === 'tool_deprecated').length, 1);
    });

    it('refuses a schema Ajv cannot compile (naming schema), and an unknown version to deprecate', async () => {
      const error = await rejectsWith(client.call('tool.register', { name: 'bad', version: '1', flags: [], schema: { type: 'objekt' } }), ErrorCode.InvalidParams, /schema/);
      assert.equal(error.data?.field, 'schema');
      await rejectsWith(client.call('tool.register', { name: 'bad', version: '1', flags: [], schema: { type: 'object', requird: ['x'] } }), ErrorCode.InvalidParams, /requird/);
      await rejectsWith(client.call('tool.deprecate', { name: 'search', version: '9.9.9' }), ErrorCode.NotFound, /search:9\.9\.9/);
      assert.equal((await client.call('tool.list', {})).some((t) => t.name === 'bad'), false, 'nothing was stored');
    });

    it('keeps a schema\'s empty arrays through a deprecation (the spec is never re-encoded)', async () => {
      await client.call('tool.register', { name: 'empty', version: '1', flags: [], schema: { type: 'object', required: [] } });
      const spec = await client.call('tool.deprecate', { name: 'empty', version: '1' });
      assert.deepEqual(spec.schema, { type: 'object', required: [] });
    });
  });

  describe('policy document', () => {
    it('answers the built-in default as version 0: every agent may call every active registered tool', async () => {
      const doc = await client.call('policy.get', {});
      assert.deepEqual(doc, { version: 0, policy: { agents: [{ agent: '*', allow: ['*'] }] } });
      const decision = await check({ agentId: 'anyone', tool: 'shell', args: { command: 'ls' } });
      assert.equal(decision.allowed, true);
      assert.equal(decision.requiresApproval, false);
      assert.equal((await check({ agentId: 'anyone', tool: 'unregistered' })).allowed, false);
    });

    it('refuses an invalid policy whole, naming the path, and keeps the live one', async () => {
      const bad = (entry: Record<string, unknown>) => ({ agents: [{ agent: 'a', allow: ['*'] }, { agent: 'b', ...entry }] }) as SafetyPolicy;
      const cases: [SafetyPolicy, string][] = [
        [bad({ argRules: [{ tool: 'x', field: 'p', pattern: '(', then: 'deny' }] }), 'policy.agents[1].argRules[0].pattern'],
        [bad({ argRules: [{ tool: 'x', field: 'p', then: 'deny' }] }), 'policy.agents[1].argRules[0]'],
        [bad({ allow: ['a:b:c'] }), 'policy.agents[1].allow[0]'],
        [bad({ colour: 'red' }), 'policy.agents.1.colour'],
      ];
      for (const [policy, field] of cases) {
        const error = await rejectsWith(client.call('policy.set', { policy, expectedVersion: 0 }), ErrorCode.InvalidParams);
        assert.equal(error.data?.field, field, error.message);
      }
      assert.equal((await client.call('policy.get', {})).version, 0);
    });

    it('sets by compare-and-set: a stale expectedVersion is -32003 with the live version; the change is audited and announced', async () => {
      assert.deepEqual(await client.call('policy.set', { policy: POLICY, expectedVersion: 0, by: 'tester' }), { version: 1 });
      const error = await rejectsWith(client.call('policy.set', { policy: POLICY, expectedVersion: 0 }), ErrorCode.Conflict, /version 1/);
      assert.equal(error.data?.version, 1);
      const doc = await client.call('policy.get', {});
      assert.equal(doc.version, 1);
      assert.deepEqual(doc.policy, POLICY);
      assert.equal(doc.updatedBy, 'tester');
      const changed = await log.next((e) => e.type === 'policy.changed');
      assert.deepEqual({ ...(changed.data as object), ts: 0 }, { oldVersion: 0, newVersion: 1, by: 'tester', ts: 0 });
      const [newest] = await raw.xrevrange(keys.safetyAudit, '+', '-', 'COUNT', 1);
      assert.deepEqual(JSON.parse(newest![1][3]!), { kind: 'policy_changed', subject: 'policy', detail: { oldVersion: 0, newVersion: 1, by: 'tester' } });
    });
  });

  describe('decision matrix', () => {
    for (const [agentId, tool, args, expected, decidedBy] of MATRIX) {
      it(`${agentId} → ${tool} ${args ? JSON.stringify(args).slice(0, 40) : ''}: ${expected}`, async () => {
        const decision = await check({ agentId, tool, ...(args ? { args } : {}) });
        const got: Expect = !decision.allowed ? 'denied' : decision.requiresApproval ? 'approval' : 'allowed';
        assert.equal(got, expected, decision.reason);
        if (typeof decidedBy === 'string') assert.equal(decision.rule, decidedBy, decision.reason);
        else assert.match(decision.reason, decidedBy);
        assert.ok(decision.reason.length > 10);
      });
    }

    it('gives the entry\'s timeoutMs, and audits denials and approvals with a policy.denied event', async () => {
      assert.equal((await check({ agentId: 'ops-2', tool: 'kv.put', args: { key: 'k' } })).timeoutMs, 5000);
      const denied = await check({ agentId: 'reader-audit', tool: 'shell' });
      const event = await log.next((e) => e.type === 'policy.denied' && (e.data as { agentId: string }).agentId === 'reader-audit');
      assert.equal((event.data as PolicyDecision).reason, denied.reason);
      const entries = (await raw.xrange(keys.safetyAudit, '-', '+')).map(([, f]) => JSON.parse(f[3]!) as { kind: string; agentId?: string; detail: { rule?: string } });
      assert.ok(entries.some((e) => e.kind === 'policy_denied' && e.agentId === 'reader-audit' && e.detail.rule === 'policy.agents[1].allow'));
      assert.ok(entries.some((e) => e.kind === 'approval_required' && e.agentId === 'ops-1'));
    });

    it('marks an allowed tool version used (written in a batch)', async () => {
      await check({ agentId: 'reader-1', tool: 'fs.read:1.1.0', args: { path: '/x' } });
      for (const started = Date.now(); Date.now() - started < 5000; ) {
        const spec = (await client.call('tool.list', {})).find((t) => t.name === 'fs.read' && t.version === '1.1.0')!;
        if (spec.lastUsedAt !== undefined) return assert.ok(spec.lastUsedAt >= started - 60_000);
        await new Promise((resolve) => setTimeout(resolve, 50)); // the batch is written by the 250 ms sweep
      }
      assert.fail('lastUsedAt was never written');
    });
  });

  describe('rate limit', () => {
    it('refuses the call past callsPerMinute with retryAfterMs', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await check({ agentId: 'rate-1', tool: 'search', args: { query: 'x' } })).allowed, true);
      const refused = await check({ agentId: 'rate-1', tool: 'search', args: { query: 'x' } });
      assert.equal(refused.allowed, false);
      assert.equal(refused.rule, 'rate');
      assert.ok(refused.retryAfterMs! > 0 && refused.retryAfterMs! <= 20_000, `retryAfterMs ${refused.retryAfterMs}`);
      assert.equal((await check({ agentId: 'rate-2', tool: 'search', args: { query: 'x' } })).allowed, true, 'each agent has its own bucket');
    });

    it('never over-grants under concurrency from several clients (one script per check)', async () => {
      const clients = await Promise.all([0, 1, 2, 3, 4].map(() => d.client()));
      const started = Date.now();
      const decisions = await Promise.all(clients.flatMap((c) => Array.from({ length: 8 }, () => c.call('policy.check', { agentId: 'burst-1', tool: 'search', args: { query: 'x' } }))));
      // 10 per minute refill one token every 6 s: within that, exactly the bucket's 10.
      assert.ok(Date.now() - started < 6000);
      assert.equal(decisions.filter((x) => x.allowed).length, 10);
      assert.ok(decisions.filter((x) => !x.allowed).every((x) => x.rule === 'rate'));
    });
  });

  describe('redaction', () => {
    const SECRETS = ['sk-live-123456', 'tok-789', 'hunter2'];
    const args = { url: 'https://api.internal/x', api_key: SECRETS[0], headers: { 'X-Auth-Token': SECRETS[1], nested: [{ password: SECRETS[2] }] } };

    it('never lets secret argument fields out: decision, events, audit', async () => {
      const asked = await check({ agentId: 'secret-1', tool: 'api.call', args });
      assert.equal(asked.requiresApproval, false);
      assert.deepEqual(asked.args, { url: 'https://api.internal/x', api_key: '[REDACTED]', headers: { 'X-Auth-Token': '[REDACTED]', nested: [{ password: '[REDACTED]' }] } });
      const denied = await check({ agentId: 'nosy-1', tool: 'api.call', args });
      assert.equal(denied.allowed, false);
      assert.equal(denied.args!.api_key, '[REDACTED]');
      await log.next((e) => e.type === 'policy.denied' && (e.data as { agentId: string }).agentId === 'nosy-1');
      const seen = JSON.stringify([asked, denied, log.events, await raw.xrange(keys.safetyAudit, '-', '+')]);
      for (const secret of SECRETS) assert.ok(!seen.includes(secret), `${secret} left the daemon`);
    });
  });

  describe('across daemons', () => {
    let other: TestDaemon;
    before(async () => (other = await startTestDaemon(redis.url)));
    after(() => other.stop());

    it('another daemon applies a policy.set within 1 s (frame), and a change it missed within the periodic check', async () => {
      const remote = await other.client();
      const ask = () => remote.call('policy.check', { agentId: 'late-1', tool: 'search', args: { query: 'x' } });
      assert.equal((await ask()).rule, 'policy.agents[8]');
      const { version } = await client.call('policy.get', {});
      const set = Date.now();
      await client.call('policy.set', { policy: { agents: [{ agent: 'late-*', allow: [] }, ...POLICY.agents] }, expectedVersion: version });
      while ((await ask()).rule !== 'policy.agents[0].allow') assert.ok(Date.now() - set < 1000, 'not applied within 1 s');

      // Written behind the daemons' backs (no frame): the version check finds it.
      await raw.hset(keys.safetyPolicy, 'version', version + 2, 'json', JSON.stringify(POLICY));
      const written = Date.now();
      while ((await ask()).rule !== 'policy.agents[8]') assert.ok(Date.now() - written < 2000, 'not reloaded by the periodic check');
    });

    it('another daemon knows a tool registered or deprecated here', async () => {
      const remote = await other.client();
      await client.call('tool.register', { name: 'fresh', version: '1', flags: [], schema: object({}) });
      const { version } = await client.call('policy.get', {});
      await client.call('policy.set', { policy: { agents: [{ agent: '*', allow: ['*'] }] }, expectedVersion: version });
      const set = Date.now();
      while (!(await remote.call('policy.check', { agentId: 'x', tool: 'fresh' })).allowed) assert.ok(Date.now() - set < 1000);
      await client.call('tool.deprecate', { name: 'fresh', version: '1' });
      const deprecated = Date.now();
      while ((await remote.call('policy.check', { agentId: 'x', tool: 'fresh' })).allowed) assert.ok(Date.now() - deprecated < 1000);
    });
  });
});
