import assert from 'node:assert/strict';
import { Script } from '../../daemon/store/script';
import { scripts } from '../../daemon/store/scripts';

describe('script layer', () => {
  it('takes each script’s name and key count from its file name, and refuses a wrapper that names other keys', () => {
    assert.equal(scripts.agentBeat.name, 'agentBeat');
    assert.equal(scripts.agentBeat.numberOfKeys, 5);
    assert.ok(!scripts.agentBeat.lua.includes('--- @include'), 'includes are inlined');
    assert.throws(() => new Script({ file: 'demo-2', source: 'return 1' }, ['only'], [], (s) => s), /demo-2\.lua takes 2 keys, but its wrapper names 1/);
    assert.throws(() => new Script({ file: 'demo', source: 'return 1' }, [], [], (s) => s), /<name>-<number of keys>\.lua/);
  });
});
