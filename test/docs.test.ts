import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PROTOCOL_DOC, renderProtocolDoc } from '../scripts/gen-protocol-doc';

describe('docs/protocol.md', () => {
  it('is what the schemas generate (run `npm run docs:protocol` after changing them)', () => {
    assert.equal(readFileSync(PROTOCOL_DOC, 'utf8'), renderProtocolDoc());
  });
});
