/**
 * The validator: a compiled rule set and the function that runs it over a text. Pure (no Redis):
 * the rules module keeps the live set, enforcement and safety.validate call `validate`.
 *
 * Compiling checks every rule (pattern.ts: linear time or refused), reads what each rule's matches
 * must contain (literals.ts) and builds one prefilter automaton for the set (prefilter.ts).
 * Validating scans the text once with it, then runs only the rules whose needs are present.
 */
import { MAX_VALIDATE_CHARS, type Direction } from '../../../protocol/safety';
import type { SafetyRule, ValidationResult } from '../../../protocol/types';
import { CHECKS, type MatchCheck } from './checks';
import { anchorOf, findAnchored, type Anchor } from './anchor';
import { ruleFacts } from './literals';
import { PATTERN_FLAGS, preparePattern } from './pattern';
import { PatternError, type PatternRefusal } from './pattern-check';
import { buildPrefilter, type Prefilter } from './prefilter';
import { summarize, type Found } from './result';

export { compilePattern } from './pattern';

/**
 * A rule set that failed to compile: which rule, which field, and why. The set is refused whole.
 * `kind` names the reason in one word: unique, check, or a pattern's PatternRefusal.
 */
export class RuleSetError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly reason: string,
    readonly kind: 'unique' | 'check' | PatternRefusal = field === 'id' ? 'unique' : 'check',
  ) {
    super(`rules[${index}].${field}: ${reason}`);
    this.name = 'RuleSetError';
  }
}

/** A text longer than the validator takes (it is refused, never checked in part). */
export class TextTooLargeError extends Error {
  constructor(readonly length: number) {
    super(`text of ${length} characters: the validator takes at most ${MAX_VALIDATE_CHARS}`);
    this.name = 'TextTooLargeError';
  }
}

export interface CompiledRule {
  readonly rule: SafetyRule;
  /** Its index in the set (the prefilter's name for it). */
  readonly index: number;
  readonly regexp: RegExp;
  /** Whether it runs only when one of its literals occurs. */
  readonly prefiltered: boolean;
  readonly check: MatchCheck | undefined;
  /** For a rule whose one literal is a single character: run from that character (anchor.ts). */
  readonly anchored: { anchor: Anchor; sticky: RegExp } | undefined;
}

/** What /metrics may say about a set. */
export interface RuleSetStats {
  rules: number;
  enabled: number;
  /** Enabled rules that run only when one of their literals occurs in the text. */
  prefiltered: number;
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly rules: readonly SafetyRule[];
  /** The enabled rules, in set order. */
  readonly compiled: readonly CompiledRule[];
  readonly stats: RuleSetStats;
  /** The enabled rules that apply to each direction, and to a text of no direction (all). */
  readonly byDirection: Readonly<Record<Direction | 'any', readonly CompiledRule[]>>;
  readonly prefilter: Prefilter;
}

export interface ValidateOptions {
  direction?: Direction;
  /** Accepted for the callers' sake; no rule field selects agents yet. */
  agentId?: string;
}

/** Compiles every rule or throws a RuleSetError naming the first bad one. */
export function compileRules(rules: readonly SafetyRule[], version: number): CompiledRuleSet {
  const ids = new Set<string>();
  const prepared = rules.map((rule, index) => {
    if (ids.has(rule.id)) throw new RuleSetError(index, 'id', `duplicate rule id "${rule.id}"`);
    ids.add(rule.id);
    if (rule.check !== undefined && !(rule.check in CHECKS)) throw new RuleSetError(index, 'check', `unknown check "${rule.check}"`);
    try {
      return preparePattern(rule.pattern, rule.caseInsensitive ?? false);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      throw new RuleSetError(index, 'pattern', error.message, error.kind);
    }
  });
  const facts = prepared.map((pattern, index) => (rules[index]!.enabled === false ? null : ruleFacts(pattern.ast, rules[index]!.caseInsensitive ?? false)));
  const prefilter = buildPrefilter(facts.map((fact) => fact?.literals ?? null));
  const compiled: CompiledRule[] = [];
  prepared.forEach((pattern, index) => {
    const rule = rules[index]!;
    if (rule.enabled === false) return;
    const check = rule.check === undefined ? undefined : CHECKS[rule.check];
    const anchor = anchorOf(pattern.ast, rule.caseInsensitive ?? false, facts[index]!.literals);
    const anchored = anchor ? { anchor, sticky: new RegExp(pattern.source, PATTERN_FLAGS.replace('g', 'y')) } : undefined;
    compiled.push({ rule, index, regexp: pattern.regexp, prefiltered: prefilter.filtered.has(index), check, anchored });
  });
  const applies = (direction: Direction) => compiled.filter(({ rule }) => !rule.directions || rule.directions.includes(direction));
  return {
    version,
    rules,
    compiled,
    prefilter,
    byDirection: { any: compiled, input: applies('input'), output: applies('output') },
    stats: {
      rules: rules.length,
      enabled: compiled.length,
      prefiltered: compiled.filter((rule) => rule.prefiltered).length,
    },
  };
}

/** Runs the rule set over the text (or throws TextTooLargeError past MAX_VALIDATE_CHARS). */
export function validate(set: CompiledRuleSet, text: string, options: ValidateOptions = {}): ValidationResult {
  if (text.length > MAX_VALIDATE_CHARS) throw new TextTooLargeError(text.length);
  const { prefilter } = set;
  prefilter.scan(text);
  const found: Found[] = [];
  for (const compiled of set.byDirection[options.direction ?? 'any']) {
    if (compiled.prefiltered && !prefilter.seen(compiled.index)) continue;
    findAll(compiled, text, found);
  }
  return summarize(set.version, text, found);
}

/** Every match of one rule (anchored when it can be), without a prefilter (the prefilter's tests compare against it). */
export function findAll(compiled: CompiledRule, text: string, found: Found[]): void {
  const { regexp, anchored } = compiled;
  const into = { compiled, found, text };
  if (anchored) return findAnchored(text, anchored.anchor, anchored.sticky, regexp, record, into);
  regexp.lastIndex = 0;
  // Patterns cannot match the empty string (pattern-check.ts), so lastIndex always moves on.
  for (let match = regexp.exec(text); match; match = regexp.exec(text)) record(into, match);
}

/**
 * A finding is its match less trailing whitespace: a pattern cannot look ahead (linear time), so
 * one that needs a value to end may take the space that ends it, which is not the finding's. A
 * match of whitespace only is the finding whole.
 */
function record({ compiled: { rule, check }, found, text }: { compiled: CompiledRule; found: Found[]; text: string }, match: RegExpExecArray): void {
  if (check && !check(match[0])) return;
  const whole = match.index + match[0].length;
  let end = whole;
  while (end > match.index && isSpace(text.charCodeAt(end - 1))) end--;
  if (end === match.index) end = whole;
  found.push({
    rule,
    finding: {
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      action: rule.action,
      start: match.index,
      end,
      message: rule.message,
    },
  });
}

/** ASCII whitespace and the Unicode spaces a pattern's `\s` takes. */
const isSpace = (code: number) => (code <= 32 && (code === 32 || (code >= 9 && code <= 13))) || (code > 127 && /\s/.test(String.fromCharCode(code)));
