/** A rule set file (`rules set FILE`, `daemon --safety-rules FILE`): a JSON array of rules, or `{"rules": [...]}` as `rules get --json` prints it. */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import Type from 'typebox';
import { SafetyRuleSchema } from '../protocol/schemas';
import type { SafetyRule } from '../protocol/types';
import { MAX_RULES } from '../protocol/safety';
import { UserError } from '../common/user-error';

const RulesSchema = Type.Array(SafetyRuleSchema(), { maxItems: MAX_RULES });

/** The rules the file holds, shape-checked; a problem is a UserError naming the rule (its id and index) and the reason. */
export function readRulesFile(path: string): SafetyRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read rule set ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const rules = Array.isArray(parsed) ? parsed : (parsed as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) throw new UserError(`${path}: expected a JSON array of rules or {"rules": [...]}`);
  const check = new Ajv({ allErrors: false }).compile(RulesSchema);
  if (!check(rules)) {
    const problem = check.errors![0]!;
    const [, index, field] = /^\/(\d+)\/?([^/]*)/.exec(problem.instancePath) ?? [];
    const id = index === undefined ? undefined : (rules[Number(index)] as { id?: unknown } | undefined)?.id;
    const where = index === undefined ? 'rules' : `rule ${typeof id === 'string' ? `"${id}" ` : ''}(rules[${index}]${field ? `.${field}` : ''})`;
    const extra = problem.params && 'additionalProperty' in problem.params ? ` (${String(problem.params.additionalProperty)})` : '';
    throw new UserError(`${path}: ${where} ${problem.message ?? 'is invalid'}${extra}`);
  }
  return rules as SafetyRule[];
}
