/** The pure parts of the tool policy: globs, version order, secret keys. */
import assert from 'node:assert/strict';
import { globMatch } from '../../daemon/safety/policy/glob';
import { isSecretKey } from '../../daemon/safety/policy/redact-args';
import { compareVersions } from '../../daemon/safety/policy/tool-registry';

describe('safety policy parts', () => {
  it('matches globs: * any run (":" included), ? one character, nothing else special', () => {
    const cases: [string, string, boolean][] = [
      ['*', 'anything:1.0', true],
      ['http.*', 'http.get', true],
      ['http.*', 'httpxget', false],
      ['shell:0.*', 'shell:0.9.1', true],
      ['shell:0.*', 'shell:1.0', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['*a*a*a*b', `${'a'.repeat(150)}`, false],
      ['team*-agent*', 'team15-agent3', true],
    ];
    for (const [glob, text, expected] of cases) assert.equal(globMatch(glob, text), expected, `${glob} ~ ${text}`);
  });

  it('orders versions part by part, numeric parts as numbers, a pre-release before its release', () => {
    const sorted = ['1.10.0', '1.9.2', '2.0.0', '1.9.10', '1.9.2-beta', '0.1'].sort(compareVersions);
    assert.deepEqual(sorted, ['0.1', '1.9.2-beta', '1.9.2', '1.9.10', '1.10.0', '2.0.0']);
  });

  it('knows secret keys as a whole or as a separated part, in any case', () => {
    for (const key of ['api_key', 'APIKEY', 'X-Auth-Token', 'password', 'client_secret', 'Authorization']) assert.equal(isSecretKey(key), true, key);
    for (const key of ['path', 'author', 'tokens_used', 'keyboard']) assert.equal(isSecretKey(key), false, key);
  });
});
