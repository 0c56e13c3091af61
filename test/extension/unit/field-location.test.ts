import assert from 'node:assert/strict';
import { documentPath, locateField } from '../../../extension/safety/field-location';
import { documentText } from '../../../extension/safety/safety-documents';

const rules = documentText([
  { id: 'a', category: 'secret', severity: 'high', action: 'block', pattern: 'x', message: 'm' },
  { id: 'b', category: 'secret', severity: 'high', action: 'block', pattern: '(a+)+\\1', message: 'm' },
]);
const policy = documentText({ agents: [{ agent: '*', allow: ['*'] }, { agent: 'bot', argRules: [{ tool: 'shell', field: 'cmd', pattern: '(', then: 'deny' }] }] });

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle));
}

describe('a refused field as a place in the document', () => {
  it('reads the paths the daemon writes, without the param the document is', () => {
    assert.deepEqual(documentPath('rules[1].pattern', 'rules'), [1, 'pattern']);
    assert.deepEqual(documentPath('rules.1.pattern', 'rules'), [1, 'pattern']);
    assert.deepEqual(documentPath('/rules/1/pattern', 'rules'), [1, 'pattern']);
    assert.deepEqual(documentPath('policy.agents.1.argRules.0.pattern', 'policy'), ['agents', 1, 'argRules', 0, 'pattern']);
    assert.deepEqual(documentPath('agents[1].argRules[0].pattern', 'policy'), ['agents', 1, 'argRules', 0, 'pattern']);
  });

  it('puts it on the line and around the value of that field', () => {
    const range = locateField(rules, documentPath('rules[1].pattern', 'rules'));
    const line = lineOf(rules, '"pattern": "(a+)+\\\\1"');
    assert.equal(range.start.line, line);
    assert.equal(range.end.line, line);
    assert.equal(rules.split('\n')[line]!.slice(range.start.character, range.end.character), '"(a+)+\\\\1"');
    const nested = locateField(policy, documentPath('agents[1].argRules[0].pattern', 'policy'));
    assert.equal(nested.start.line, lineOf(policy, '"pattern": "("'));
  });

  it('falls back to the nearest field the text has (a missing one is marked on its object), else the first line', () => {
    const missing = locateField(rules, documentPath('rules[1].alternative', 'rules'));
    assert.equal(missing.start.line, lineOf(rules, '"id": "b"') - 1, 'the object of rule 1 opens the line before its id');
    assert.equal(missing.end.line, missing.start.line);
    assert.deepEqual(locateField(rules, documentPath('expectedVersion', 'rules')).start, { line: 0, character: 0 });
    assert.deepEqual(locateField('not json', [0]).start, { line: 0, character: 0 });
  });
});
