/**
 * Writes the JSON schemas of the two documents the editor edits (schemas/safety-rules.schema.json,
 * schemas/tool-policy.schema.json; package.json's jsonValidation points at them) from the
 * protocol's TypeBox schemas, so completion and hover in the editor say what the daemon checks.
 * `npm run schemas:safety` rewrites them; a test checks they are current.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_RULES } from '../protocol/safety';
import { SafetyPolicySchema, SafetyRuleSchema } from '../protocol/schemas';

export const SCHEMAS_DIR = resolve(__dirname, '../schemas');

/** File name → schema; the URIs they validate are switchboard:/safety-rules.json and switchboard:/tool-policy.json. */
export function safetySchemas(): Record<string, object> {
  return {
    'safety-rules.schema.json': {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Switchboard safety rules',
      description: 'The whole rule set: saving it replaces the live one (docs/safety.md "Rule format").',
      type: 'array',
      maxItems: MAX_RULES,
      items: SafetyRuleSchema(),
    },
    'tool-policy.schema.json': {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Switchboard tool policy',
      description: 'Who may call which tool, how often, and what needs a human first (docs/safety.md "Policy").',
      ...SafetyPolicySchema(),
    },
  };
}

export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [file, schema] of Object.entries(safetySchemas())) {
    writeFileSync(join(SCHEMAS_DIR, file), schemaText(schema));
    process.stdout.write(`wrote ${join(SCHEMAS_DIR, file)}\n`);
  }
}
