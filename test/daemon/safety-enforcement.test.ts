import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SwitchboardClient } from '../../client/client';
import { ErrorCode, RpcError } from '../../protocol/errors';
import type { MethodName } from '../../protocol/methods';
import { REDACTED } from '../../protocol/safety';
import type { PushedEvent, SafetyRule } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { spawnDaemon, type DaemonProcess } from '../helpers/daemon-process';
import { record, type EventLog } from '../helpers/events';
import { flushRedis, redisClient, startRedis, type TestRedis } from '../helpers/redis-server';

const RULES: SafetyRule[] = [
  { id: 'test.block', category: 'test', severity: 'high', action: 'block', pattern: 'forbidden-phrase-\\d+', message: 'a forbidden phrase' },
  { id: 'test.secret', category: 'secret', severity: 'critical', action: 'redact', pattern: 'sk-live-[a-z0-9]{12}', message: 'a live key' },
  { id: 'test.warn', category: 'test', severity: 'low', action: 'warn', pattern: 'mildly-odd', message: 'odd, let through' },
];

/** Each entry point with the params that carry `value` in its enforced field. */
const ENTRY_POINTS: [MethodName, (value: unknown, n: number) => Record<string, unknown>][] = [
  ['signal.send', (payload, n) => ({ from: `leaker-${n}`, to: 'sink', type: 'note', payload })],
  ['signal.broadcast', (payload, n) => ({ from: `leaker-${n}`, type: 'note', payload })],
  ['approval.create', (context, n) => ({ agentId: `leaker-${n}`, type: 'deploy', context })],
  ['approval.request', (context, n) => ({ agentId: `leaker-${n}`, type: 'deploy', context, timeoutMs: 200 })],
  ['outcome.record', (output, n) => ({ agentName: `leaker-${n}`, actionType: 'llm.call', status: 'success', durationMs: 5, output })],
  ['event.publish', (data) => ({ type: 'leaky', data })],
  // a step's input, on a step that is enqueued at start (its job payload carries it too)
  ['workflow.start', (input, n) => ({ name: 'leaky', workflowId: `leaky-${n}`, steps: [{ name: 'plain', queue: 'leaky-q' }, { name: 'fed', queue: 'leaky-q', input }] })],
];
const FIELD: Record<string, string> = {
  'signal.send': 'payload',
  'signal.broadcast': 'payload',
  'approval.create': 'context',
  'approval.request': 'context',
  'outcome.record': 'output',
  'event.publish': 'data',
  'workflow.start': 'steps[1].input',
};
const escaped = (text: string) => text.replace(/[[\].]/g, '\\$&');

describe('safety: enforcement', function () {
  this.timeout(30_000);
  let redis: TestRedis;

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });

  describe('blocked content', () => {
    let d: TestDaemon;
    let client: SwitchboardClient;
    let events: EventLog;
    before(async () => {
      await flushRedis(redis.url);
      d = await startTestDaemon(redis.url);
      client = await d.client();
      await client.safety.rulesSet({ rules: RULES, expectedVersion: 0 });
      events = await record(await d.client(), ['safety']);
    });
    after(() => d.stop());

    it('is refused on every entry point with -32010, a safety.blocked event and an audit entry, and nothing is stored', async () => {
      const before = await allKeys(redis.url);
      for (const [i, [method, params]] of ENTRY_POINTS.entries()) {
        const value = { note: ['fine', { deep: `say forbidden-phrase-${i} now` }] };
        const error = await client.call(method, params(value, i) as never).then(
          () => assert.fail(`${method} was let through`),
          (e: unknown) => e as RpcError,
        );
        assert.ok(error instanceof RpcError);
        assert.equal(error.code, ErrorCode.BlockedBySafety, `${method}: ${error.message}`);
        assert.match(error.message, new RegExp(`${escaped(FIELD[method]!)}\\.note\\[1\\]\\.deep.*test\\.block`));
        const data = error.data as { field: string; rule: string; findings: { ruleId: string; path: string; start: number; end: number }[] };
        assert.deepEqual([data.field, data.rule], [FIELD[method], 'test.block']);
        assert.deepEqual(data.findings.map((f) => [f.ruleId, f.path, f.start, f.end]), [['test.block', `${FIELD[method]}.note[1].deep`, 4, 22]]);
        const event = await events.next((e) => e.type === 'safety.blocked' && (e.data as { method: string }).method === method);
        assert.ok(!JSON.stringify(event).includes('forbidden-phrase'), 'the event carries where and why, never the text');
      }
      const audit = await client.safety.audit({ kind: 'blocked' });
      assert.deepEqual(audit.map((e) => e.subject), ENTRY_POINTS.map(([method]) => method));
      assert.ok(!JSON.stringify(audit).includes('forbidden-phrase'));
      const after = (await allKeys(redis.url)).filter((key) => !key.endsWith(':audit'));
      assert.deepEqual(after, before.filter((key) => !key.endsWith(':audit')), 'a blocked call stores nothing');
    });

    it('lets warnings through unchanged, auditing them without the text', async () => {
      const signal = await client.signals.send({ from: 'w', to: 'sink', type: 'note', payload: { text: 'mildly-odd but fine' } });
      assert.deepEqual(signal.payload, { text: 'mildly-odd but fine' });
      const event = await events.next((e) => e.type === 'safety.warned' && (e.data as { method: string }).method === 'signal.send');
      assert.deepEqual((event.data as unknown as { findings: { ruleId: string; path: string }[] }).findings.map((f) => [f.ruleId, f.path]), [['test.warn', 'payload.text']]);
      const [entry] = await client.safety.audit({ kind: 'warned', count: 1 });
      assert.deepEqual([entry!.subject, entry!.agentId, entry!.detail.rules], ['signal.send', 'w', ['test.warn']]);
    });
  });

  describe('redaction', () => {
    let daemon: DaemonProcess;
    let stateDir: string;
    let client: SwitchboardClient;
    let events: EventLog;
    const pushed: PushedEvent[] = [];
    const replies: unknown[] = [];
    // Each secret is unique, so a hit says which path leaked.
    const secretsOf = (i: number) => ({
      text: `sk-live-${'textsecret'}${String(i).padStart(2, '0')}`,
      apiKey: `apikey-value-${i}-Zq9`,
      token: `token-value-${i}-Xw7`,
      password: 918_273_645 + i,
      keyed: `sk-live-keyedsecre${String(i).padStart(2, '0')}`,
    });
    const allSecrets = ENTRY_POINTS.flatMap((_, i) => Object.values(secretsOf(i)).map(String));

    before(async () => {
      await flushRedis(redis.url);
      stateDir = mkdtempSync(join(tmpdir(), 'sb-leak-'));
      daemon = await spawnDaemon(stateDir, ['--redis', redis.url, '--verbose']);
      client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
      await client.safety.rulesSet({ rules: RULES, expectedVersion: 0 });
      events = await record(client, ['signals', 'approvals', 'outcomes', 'events:*', 'safety']);
      await client.subscribe(['signals', 'approvals', 'outcomes', 'events:*', 'safety'], (event) => pushed.push(event));
    });
    after(async () => {
      client.close();
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('never lets a secret reach Redis, the pushed events, the audit stream, the replies or the daemon log', async () => {
      for (const [i, [method, params]] of ENTRY_POINTS.entries()) {
        const s = secretsOf(i);
        const value = {
          message: `here is my key ${s.text}, keep it safe`,
          api_key: s.apiKey,
          'X-Auth-Token': { nested: [s.token] },
          Password: s.password,
          list: [{ [s.keyed]: 'a secret used as a key' }],
        };
        replies.push(await client.call(method, params(value, i) as never));
      }
      await events.count((e) => e.type === 'safety.warned', ENTRY_POINTS.length);
      // The last writes are in: the approvals expired (their requests answered) and every warning is announced.
      await events.count((e) => e.type === 'outcome.recorded', 1);
      await events.count((e) => e.type === 'leaky', 1);

      const stored = await dumpRedis(redis.url);
      const audit = JSON.stringify(await client.safety.audit({ count: 1000 }));
      const places = { redis: stored, events: JSON.stringify(pushed), audit, replies: JSON.stringify(replies), log: daemon.stderr() };
      for (const [where, text] of Object.entries(places)) {
        for (const secret of allSecrets) assert.ok(!text.includes(secret), `${secret} leaked into ${where}`);
      }
      assert.ok(stored.includes(REDACTED), 'secret keys are replaced by the marker');
      assert.ok(stored.includes('[REDACTED:test.secret]'), 'redact findings are replaced');
      assert.ok(JSON.stringify(pushed).includes(REDACTED));
      const signal = replies[0] as { payload: Record<string, unknown> };
      assert.deepEqual(signal.payload, {
        message: 'here is my key [REDACTED:test.secret], keep it safe',
        api_key: REDACTED,
        'X-Auth-Token': REDACTED,
        Password: REDACTED,
        list: [{ '[REDACTED:test.secret]': 'a secret used as a key' }],
      });
    });
  });

  describe('turned off', () => {
    let d: TestDaemon;
    before(async () => {
      await flushRedis(redis.url);
      d = await startTestDaemon(redis.url, { safety: { enforcement: false } });
      await (await d.client()).safety.rulesSet({ rules: RULES, expectedVersion: 0 });
    });
    after(() => d.stop());

    it('passes payloads unchanged and audits nothing', async () => {
      const client = await d.client();
      const payload = { text: 'forbidden-phrase-1 and sk-live-abcdefghijkl', password: 'plain' };
      assert.deepEqual((await client.signals.send({ from: 'a', to: 'b', type: 'note', payload })).payload, payload);
      await client.events.publish({ type: 'open', data: payload });
      assert.deepEqual((await client.events.recent({ type: 'open', count: 1 }))[0]!.data, payload);
      assert.deepEqual(await client.safety.audit({ kind: 'blocked' }), []);
      assert.equal((await client.safety.validate({ text: payload.text })).level, 'blocked', 'validate still answers with the live rules');
    });

    it('is switched off by config.json safety.enforcement, and --safety-enforcement wins over it', async () => {
      for (const [flag, expected] of [[[], 'sent'], [['--safety-enforcement', 'on'], 'refused']] as const) {
        const stateDir = mkdtempSync(join(tmpdir(), 'sb-enforce-config-'));
        writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ safety: { enforcement: false } }));
        const daemon = await spawnDaemon(stateDir, ['--redis', redis.url, ...flag]);
        const client = await SwitchboardClient.connect({ url: daemon.url, token: daemon.token, reconnect: false });
        try {
          const outcome = await client.signals.send({ from: 'a', to: 'b', type: 'note', payload: 'forbidden-phrase-7' }).then(
            () => 'sent',
            (error: RpcError) => (error.code === ErrorCode.BlockedBySafety ? 'refused' : error.message),
          );
          assert.equal(outcome, expected, `flags ${flag.join(' ') || '(none)'}`);
        } finally {
          client.close();
          daemon.child.kill('SIGTERM');
          await daemon.exited;
          rmSync(stateDir, { recursive: true, force: true });
        }
      }
    });
  });
});

async function allKeys(url: string): Promise<string[]> {
  const redis = redisClient(url);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await redis.scan(cursor, 'COUNT', 1000);
      keys.push(...page);
      cursor = next;
    } while (cursor !== '0');
    return keys.sort();
  } finally {
    redis.disconnect();
  }
}

/** Every key with everything it holds, as one text (binary strings read as latin1). */
async function dumpRedis(url: string): Promise<string> {
  const redis = redisClient(url);
  try {
    const parts: string[] = [];
    for (const key of await allKeys(url)) {
      const type = await redis.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await redis.getBuffer(key))!.toString('latin1'));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else assert.fail(`key ${key} has type ${type}, which this scan does not read`);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
