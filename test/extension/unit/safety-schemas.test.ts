import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SCHEMAS_DIR, safetySchemas, schemaText } from '../../../scripts/gen-safety-schemas';
import { DEFAULT_RULES } from '../../../daemon/safety/validator/default-rules';

interface Contributions {
  contributes: { jsonValidation: { fileMatch: string; url: string }[] };
}

describe('the JSON schemas of the safety documents', () => {
  it('are what the protocol schemas generate (run `npm run schemas:safety` after changing them)', () => {
    for (const [file, schema] of Object.entries(safetySchemas())) assert.equal(readFileSync(join(SCHEMAS_DIR, file), 'utf8'), schemaText(schema), file);
  });

  it('are contributed for the two switchboard: documents, and shipped in the .vsix', () => {
    const pkg = JSON.parse(readFileSync(join(SCHEMAS_DIR, '../package.json'), 'utf8')) as Contributions;
    assert.deepEqual(pkg.contributes.jsonValidation, [
      { fileMatch: 'switchboard:/safety-rules.json', url: './schemas/safety-rules.schema.json' },
      { fileMatch: 'switchboard:/tool-policy.json', url: './schemas/tool-policy.schema.json' },
    ]);
    assert.match(readFileSync(join(SCHEMAS_DIR, '../.vscodeignore'), 'utf8'), /^!schemas\/\*\.schema\.json$/m);
  });

  it('accept the default rule set and refuse a rule with an unknown action', () => {
    const schema = safetySchemas()['safety-rules.schema.json']!;
    const validate = new Ajv({ strict: false }).compile(schema);
    assert.ok(validate(DEFAULT_RULES), JSON.stringify(validate.errors));
    assert.equal(validate([{ ...DEFAULT_RULES[0], action: 'explode' }]), false);
    assert.equal(validate.errors?.[0]?.instancePath, '/0/action');
  });
});
