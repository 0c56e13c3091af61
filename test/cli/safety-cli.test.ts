import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry, RuleSet, SafetyRule, ValidationResult } from '../../protocol/types';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon';
import { CLI, runCli } from '../helpers/daemon-process';
import { startRedis, type TestRedis } from '../helpers/redis-server';

const RULES: SafetyRule[] = [
  { id: 'cli.block', category: 'test', severity: 'high', action: 'block', pattern: 'launch-codes', message: 'no launch codes', alternative: 'ask for the menu instead' },
  { id: 'cli.mail', category: 'personal_data', severity: 'medium', action: 'redact', pattern: '[a-z]+@example\\.com', message: 'an email address' },
];

describe('switchboard CLI: validate, rules, audit', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let d: TestDaemon;
  let dir: string;
  const cli = (args: string[], input?: string) => runCli([...args, '--state-dir', d.stateDir], process.env, input);

  before(async () => {
    redis = await startRedis();
    d = await startTestDaemon(redis.url);
    dir = mkdtempSync(join(tmpdir(), 'sb-cli-rules-'));
  });
  after(async () => {
    await d.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the built-in set, sets a file (reading the live version first), and refuses a stale version', async () => {
    const initial = JSON.parse((await cli(['rules', 'get'])).stdout) as RuleSet;
    assert.equal(initial.version, 0);
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify(RULES));
    const set = await cli(['rules', 'set', file, '--as', 'cli-test']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /rule set version 1 is live \(2 rules, was 0\)/);
    const got = JSON.parse((await cli(['rules', 'get'])).stdout) as RuleSet;
    assert.deepEqual([got.version, got.updatedBy, got.rules], [1, 'cli-test', RULES]);
    // What `rules get` prints is a file `rules set` takes back.
    writeFileSync(file, JSON.stringify(got));
    const stale = await cli(['rules', 'set', file, '--expected-version', '0']);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /version 1, not 0/);
    assert.equal((await cli(['rules', 'set', file, '--expected-version', 'x'])).code, 2);
  });

  it('validates an argument or stdin, printing level, spans and the redacted text; exit 1 when blocked', async () => {
    const warned = await cli(['validate', 'write to bob@example.com today']);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /^level\s+warning/m);
    assert.match(warned.stdout, /^finding\s+9-24 cli\.mail \[personal_data, medium, redact\]: an email address$/m);
    assert.match(warned.stdout, /^redacted\s+write to \[REDACTED:cli\.mail\] today$/m);
    const blocked = await cli(['validate', '--json'], 'here are the launch-codes');
    assert.equal(blocked.code, 1);
    const result = JSON.parse(blocked.stdout) as ValidationResult;
    assert.deepEqual([result.level, result.alternative, result.findings[0]!.start], ['blocked', 'ask for the menu instead', 13]);
    assert.equal((await cli(['validate', 'hello', '--direction', 'sideways'])).code, 2);
  });

  it('lists the audit trail by kind, and follows safety events', async () => {
    const follow = spawn(process.execPath, [CLI, 'audit', '--follow', '--json', '--count', '1', '--state-dir', d.stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const output = { stdout: '', stderr: '' };
      const seen = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          const check = () => pattern.test(output[stream]) && resolve();
          follow[stream].on('data', (chunk: Buffer) => ((output[stream] += chunk.toString()), check()));
          follow.once('exit', (code) => reject(new Error(`audit --follow exited ${code}: ${output.stderr}`)));
          check();
        });
      await seen('stderr', /following safety events/);
      await seen('stdout', /"kind":"rules_changed"/);
      const blocked = await d.rpc('signal.send', { from: 'a', to: 'b', type: 'note', payload: 'launch-codes' });
      assert.equal(blocked.error.code, -32010);
      await seen('stdout', /"type":"safety\.blocked"/);
    } finally {
      follow.kill('SIGINT');
    }
    const listed = await cli(['audit', '--kind', 'blocked', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const entries = JSON.parse(listed.stdout) as AuditEntry[];
    assert.ok(entries.length >= 1 && entries.every((e) => e.kind === 'blocked' && e.subject === 'signal.send'));
    const table = await cli(['audit']);
    assert.match(table.stdout, /^TIME\s+KIND\s+SUBJECT\s+AGENT\s+DETAIL/m);
    assert.match(table.stdout, /rules_changed\s+safety\.rules\.set/);
  });
});
