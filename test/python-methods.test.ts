import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PYTHON_METHODS, renderPythonMethods } from '../scripts/gen-python-methods';

describe('sdk/python/switchboard/_methods.py', () => {
  it('is what protocol/ generates (run `npm run gen:python` after changing the schemas or METHODS)', () => {
    assert.equal(readFileSync(PYTHON_METHODS, 'utf8'), renderPythonMethods());
  });
});
