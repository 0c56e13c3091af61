import assert from 'node:assert/strict';
import { REDACTED } from '../../protocol/safety';
import type { SafetyRule } from '../../protocol/types';
import { isSecretKey, scanPayload } from '../../daemon/safety/payload-scan';
import { compileRules } from '../../daemon/safety/validator/validator';

const set = compileRules(
  [
    { id: 't.block', category: 'test', severity: 'high', action: 'block', pattern: 'BOOM', message: 'boom' },
    { id: 't.card', category: 'personal_data', severity: 'medium', action: 'redact', pattern: '\\b4111\\d{12}\\b', message: 'a card', replacement: '<card>' },
    { id: 't.in', category: 'test', severity: 'low', action: 'block', pattern: 'inbound-only', message: 'input rule', directions: ['input'] },
  ] satisfies SafetyRule[],
  1,
);
const scan = (value: unknown) => scanPayload(set, 'payload', value, 'output');

describe('safety: payload scan', () => {
  it('matches secret keys case-insensitively, whole or by a _/- part, and nothing else', () => {
    for (const key of ['api_key', 'APIKEY', 'X-Auth-Token', 'Password', 'db_passwd', 'client-secret', 'Authorization', 'token']) assert.ok(isSecretKey(key), key);
    for (const key of ['tokens', 'author', 'secretary', 'maxTokens', 'keyboard', 'apikeys']) assert.ok(!isSecretKey(key), key);
  });

  it('leaves a clean value alone (no copy) and replaces secret keys whatever they hold', () => {
    assert.deepEqual(scan({ a: ['x', 1, true, null] }), { level: 'safe', findings: [] });
    const result = scan({ user: 'ann', auth: { nested: ['BOOM'] }, Api_Key: 12345 });
    assert.equal(result.level, 'safe', 'a secret key\'s value is replaced, not validated');
    assert.deepEqual(result.redacted, { user: 'ann', auth: REDACTED, Api_Key: REDACTED });
  });

  it('places findings at their leaf with a JSON path and a span inside it', () => {
    const result = scan({ notes: ['fine', { 'odd key': 'then BOOM' }] });
    assert.equal(result.level, 'blocked');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.path, f.start, f.end]), [['t.block', 'payload.notes[1]["odd key"]', 5, 9]]);
    assert.equal(scan('BOOM').findings[0]!.path, 'payload');
  });

  it('redacts inside strings, numbers and keys, hiding a flagged key in paths', () => {
    const result = scan({ card: 'pay 4111111111111111 now', n: 4111111111111111, list: [{ '4111222233334444': 'x' }] });
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.redacted, { card: 'pay <card> now', n: '<card>', list: [{ '<card>': 'x' }] });
    assert.deepEqual(result.findings.map((f) => f.path), ['payload.card', 'payload.n', 'payload.list[0][key] (key)']);
  });

  it('checks payloads as output: rules for input only do not apply', () => {
    assert.equal(scan({ text: 'inbound-only' }).level, 'safe');
    assert.equal(scanPayload(set, 'payload', { text: 'inbound-only' }, 'input').level, 'blocked');
  });
});
