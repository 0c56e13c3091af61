/**
 * Every MCP tool's input schema is valid JSON Schema draft-07: VS Code checks each tool's schema
 * against that meta-schema and leaves out, silently to the model, every tool that fails.
 */
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { TOOLS } from '../../mcp/tools';

describe('MCP tool input schemas', () => {
  it('are valid against the JSON Schema draft-07 meta-schema, as VS Code requires', () => {
    const ajv = new Ajv(); // Ajv's default meta-schema is draft-07
    for (const tool of TOOLS) {
      assert.equal(ajv.validateSchema(tool.inputSchema), true, `${tool.name}: ${ajv.errorsText(ajv.errors)}`);
      assert.equal(tool.inputSchema.type, 'object', tool.name);
    }
    assert.ok(TOOLS.length >= 16);
  });
});
