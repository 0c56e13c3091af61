import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ErrorCode } from '../../protocol/errors';
import type { AuditEntry, SafetyRule } from '../../protocol/types';
import { DEFAULT_RULES } from '../../daemon/safety/validator/default-rules';
import { rejectsWith } from '../helpers/assert-rpc';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { spawnDaemon } from '../helpers/daemon-process';
import { record } from '../helpers/events';
import { flushRedis, redisClient, startRedis, type TestRedis } from '../helpers/redis-server';

const rule = (id: string, pattern: string, action: SafetyRule['action'] = 'warn'): SafetyRule => ({
  id,
  category: 'test',
  severity: 'medium',
  action,
  pattern,
  message: `${id} matched`,
});

describe('safety: live rules', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let a: TestDaemon;
  let b: TestDaemon;

  before(async () => {
    redis = await startRedis();
  });
  beforeEach(async () => {
    await flushRedis(redis.url);
    a = await startTestDaemon(redis.url);
    b = await startTestDaemon(redis.url);
  });
  afterEach(async () => {
    await a.stop();
    await b.stop();
  });
  after(async () => {
    await redis.stop();
  });

  it('validates through RPC with the built-in set (version 0) until one is set', async () => {
    const client = await a.client();
    const got = await client.safety.rulesGet();
    assert.equal(got.version, 0);
    assert.deepEqual(got.rules, DEFAULT_RULES);
    const result = await client.safety.validate({ text: 'key AKIAABCDEFGHIJKLMNOP here' });
    assert.equal(result.rulesVersion, 0);
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.start, f.end]), [['secret.aws-access-key', 4, 24]]);
    assert.ok(result.redacted !== undefined && !result.redacted.includes('AKIAABCDEFGHIJKLMNOP'));
    assert.equal((await client.safety.validate({ text: 'a calm sentence' })).level, 'safe');
  });

  it('sets a rule set with compare-and-set, audits the change and answers it on get', async () => {
    const client = await a.client();
    const { version } = await client.safety.rulesSet({ rules: [rule('t.zebra', 'zebra')], expectedVersion: 0, by: 'tester' });
    assert.equal(version, 1);
    const got = await client.safety.rulesGet();
    assert.equal(got.version, 1);
    assert.deepEqual(got.rules, [rule('t.zebra', 'zebra')]);
    assert.equal(got.updatedBy, 'tester');
    assert.ok(got.updatedAt! > Date.now() - 60_000);
    const result = await client.safety.validate({ text: 'a zebra' });
    assert.deepEqual([result.level, result.rulesVersion, result.findings[0]?.ruleId], ['warning', 1, 't.zebra']);
    const [entry] = await client.safety.audit({ kind: 'rules_changed' });
    assert.deepEqual(entry!.detail, { oldVersion: 0, newVersion: 1, by: 'tester', rules: 1 });
  });

  it('refuses a stale expectedVersion with -32003 and the live version, changing nothing', async () => {
    const client = await a.client();
    await client.safety.rulesSet({ rules: [rule('t.one', 'one')], expectedVersion: 0 });
    const error = await rejectsWith(client.safety.rulesSet({ rules: [rule('t.two', 'two')], expectedVersion: 0 }), ErrorCode.Conflict, /version 1, not 0/);
    assert.deepEqual(error.data, { expectedVersion: 0, version: 1 });
    const got = await client.safety.rulesGet();
    assert.deepEqual([got.version, got.rules.map((r) => r.id)], [1, ['t.one']]);
    assert.equal((await client.safety.audit({ kind: 'rules_changed' })).length, 1);
  });

  it('refuses a set with one bad rule among good ones whole, naming the rule; the old set stays live', async () => {
    const client = await a.client();
    await client.safety.rulesSet({ rules: [rule('t.old', 'old')], expectedVersion: 0 });
    const bad = [rule('t.fine', 'fine'), rule('t.also-fine', 'ok'), rule('t.broken', '(unclosed'), rule('t.last', 'last')];
    const error = await rejectsWith(client.safety.rulesSet({ rules: bad, expectedVersion: 1 }), ErrorCode.InvalidParams, /t\.broken/);
    assert.equal((error.data as { field: string }).field, 'rules[2].pattern');
    assert.equal(typeof (error.data as { rule: unknown }).rule, 'string');
    const duplicate = await rejectsWith(
      client.safety.rulesSet({ rules: [rule('t.same', 'a'), rule('t.same', 'b')], expectedVersion: 1 }),
      ErrorCode.InvalidParams,
      /t\.same/,
    );
    assert.equal((duplicate.data as { field: string }).field, 'rules[1].id');
    const got = await client.safety.rulesGet();
    assert.deepEqual([got.version, got.rules.map((r) => r.id)], [1, ['t.old']]);
    assert.equal((await client.safety.validate({ text: 'fine old' })).findings.map((f) => f.ruleId).join(), 't.old');
  });

  it('a set made through one daemon is used by another within 1 s', async () => {
    const onB = await b.client();
    const events = await record(onB, ['safety']);
    assert.equal((await onB.safety.validate({ text: 'a quokka' })).level, 'safe');
    const started = performance.now();
    await (await a.client()).safety.rulesSet({ rules: [rule('t.quokka', 'quokka', 'block')], expectedVersion: 0 });
    await events.next((e) => e.type === 'rules.changed');
    // The frame that announced it is what reloads b: its next validation uses version 1.
    let result = await onB.safety.validate({ text: 'a quokka' });
    while (result.rulesVersion !== 1 && performance.now() - started < 1000) result = await onB.safety.validate({ text: 'a quokka' });
    const elapsed = performance.now() - started;
    assert.equal(result.level, 'blocked');
    assert.ok(elapsed <= 1000, `applied after ${elapsed.toFixed(0)} ms`);
  });

  it('a daemon that missed the frame converges by its version sweep', async () => {
    // Written behind the daemons' backs (no frame): only the sweep can see it.
    const raw = redisClient(redis.url);
    await raw.hset('{sb:safety}:rules', 'version', '7', 'json', JSON.stringify([rule('t.silent', 'silent', 'block')]), 'at', String(Date.now()), 'by', 'raw');
    raw.disconnect();
    const client = await b.client();
    const started = performance.now();
    let result = await client.safety.validate({ text: 'silent' });
    while (result.rulesVersion !== 7 && performance.now() - started < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await client.safety.validate({ text: 'silent' });
    }
    assert.equal(result.level, 'blocked', `still version ${result.rulesVersion}`);
    assert.ok(performance.now() - started <= 1000);
  });

  it('makes a start-up rule set live when it differs, and keeps it when it is the same', async () => {
    const start = { rules: [rule('t.startup', 'startup')], by: '--safety-rules test.json' };
    const c = await startTestDaemon(redis.url, { safety: { startRules: start } });
    try {
      const got = await (await c.client()).safety.rulesGet();
      assert.deepEqual([got.version, got.updatedBy, got.rules.map((r) => r.id)], [1, '--safety-rules test.json', ['t.startup']]);
    } finally {
      await c.stop();
    }
    const again = await startTestDaemon(redis.url, { safety: { startRules: start } });
    try {
      assert.equal((await (await again.client()).safety.rulesGet()).version, 1, 'the same set is not stored again');
      const audit: AuditEntry[] = await (await again.client()).safety.audit({ kind: 'rules_changed' });
      assert.equal(audit.length, 1);
    } finally {
      await again.stop();
    }
  });
});

describe('safety: switchboard daemon --safety-rules', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let dir: string;

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'sb-rules-'));
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a valid file at start', async () => {
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: [rule('t.file', 'from-file', 'block')] }));
    const daemon = await spawnDaemon(mkdtempSync(join(dir, 'state-')), ['--redis', redis.url, '--safety-rules', file]);
    try {
      const d = await startTestDaemon(redis.url);
      try {
        const got = await (await d.client()).safety.rulesGet();
        assert.deepEqual([got.rules.map((r) => r.id), got.updatedBy], [['t.file'], `--safety-rules ${file}`]);
      } finally {
        await d.stop();
      }
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  });

  it('refuses to start (exit 1, one line naming the rule and why) on a bad rule, storing nothing', async () => {
    await flushRedis(redis.url);
    for (const [name, rules, why] of [
      ['bad-pattern.json', [rule('t.ok', 'ok'), rule('t.bad', '(open')], /rule "t\.bad" \(rules\[1\]\.pattern\)/],
      ['bad-shape.json', [rule('t.ok', 'ok'), { ...rule('t.shape', 'x'), action: 'explode' }], /rule "t\.shape" \(rules\[1\]\.action\)/],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(rules));
      const failed = await spawnDaemon(mkdtempSync(join(dir, 'state-')), ['--redis', redis.url, '--safety-rules', file]).then(
        () => assert.fail('the daemon started'),
        (error: Error) => error.message,
      );
      assert.match(failed, /daemon exited \(1\)/);
      const line = failed.split('\n').find((l) => l.startsWith('switchboard:'))!;
      assert.match(line, why);
    }
    const raw = redisClient(redis.url);
    assert.equal(await raw.exists('{sb:safety}:rules'), 0);
    raw.disconnect();
  });
});
