import assert from 'node:assert/strict';
import { createKeys } from '../../daemon/store/keys';
import { Script } from '../../daemon/store/script';
import { scripts } from '../../daemon/store/scripts';
import { SCRIPT_ERRORS_LUA, scriptError } from '../../daemon/store/script-errors';
import { ErrorCode } from '../../protocol/errors';

describe('script layer', () => {
  it('takes each script’s name and key count from its file name, and refuses a wrapper that names other keys', () => {
    assert.equal(scripts.agentBeats.name, 'agentBeats');
    assert.equal(scripts.agentBeats.numberOfKeys, 4);
    assert.ok(!scripts.agentBeats.lua.includes('--- @include'), 'includes are inlined');
    assert.throws(() => new Script({ file: 'demo-2', source: 'return 1' }, ['only'], [], (s) => s), /demo-2\.lua takes 2 keys, but its wrapper names 1/);
    assert.throws(() => new Script({ file: 'demo', source: 'return 1' }, [], [], (s) => s), /<name>-<number of keys>\.lua/);
  });

  it('gives scripts one error table, whose replies carry their JSON-RPC code', () => {
    assert.match(SCRIPT_ERRORS_LUA, /NOT_FOUND = '-32002', CONFLICT = '-32003', RATE_LIMITED = '-32006', INVALID = '-32602'/);
    assert.ok(scripts.agentBeats.lua.includes("fail(ERR.NOT_FOUND, 'agent"), 'agentBeats fails through the table');
    const notFound = scriptError('SB-32002 agent "a" is not registered');
    assert.equal(notFound?.code, ErrorCode.NotFound);
    assert.equal(notFound?.message, 'agent "a" is not registered');
    const invalid = scriptError('ERR SB-32602 cursor "x" is not a cursor this listing gave script: 1a2b, on @user_script:12.');
    assert.equal(invalid?.code, ErrorCode.InvalidParams);
    assert.equal(invalid?.message, 'invalid params: cursor "x" is not a cursor this listing gave');
    assert.deepEqual(invalid?.data, { field: 'cursor', rule: 'format' });
    assert.equal(scriptError('WRONGTYPE Operation against a key holding the wrong kind of value'), undefined);
  });

  it('builds the four agent indexes in one place, under the namespace and the agents hash tag', () => {
    // The handlers and the sweep both pass this object as the agent scripts' keys.
    assert.deepEqual(createKeys('ns').agentIndexes, {
      expiry: '{ns:agents}:expiry',
      beats: '{ns:agents}:beats',
      ended: '{ns:agents}:ended',
      listed: '{ns:agents}:listed',
    });
  });
});
