/**
 * Rule patterns, from the source a rule set holds to the RegExp that runs. Every accepted pattern
 * is one V8's linear-time engine can run, so the fallback set up in v8-regexp-flags.ts bounds its
 * cost (docs/safety.md "Linear time").
 */
import type { AST } from '@eslint-community/regexpp';
import './v8-regexp-flags';
import { PatternError, parsePattern, refuseNonLinear } from './pattern-check';
import { rewritePattern } from './pattern-rewrite';

/**
 * `g` to find every match; `m` so that ^ and $ match at line boundaries (rules look at commands
 * and lines of text). Never `i` or `u`: V8 keeps those out of the linear-time fallback.
 */
export const PATTERN_FLAGS = 'gm';

/** Unrolling counted repetition may grow a pattern; past this the pattern is refused. */
export const MAX_REWRITTEN_CHARS = 64 * 1024;
/**
 * Deepest group nesting accepted (after unrolling). V8 compiles a regexp recursively and, past a
 * few thousand levels, dies of a fatal out-of-memory error that no try/catch sees.
 */
export const MAX_GROUP_DEPTH = 500;

export interface PreparedPattern {
  /** The source that runs (case folded, repetition unrolled, groups non-capturing). */
  source: string;
  /** The pattern as written, parsed (the prefilter reads it with the rule's case flag). */
  ast: AST.Pattern;
  regexp: RegExp;
}

/** Prepares one pattern, or throws a PatternError saying why it is refused. */
export function preparePattern(source: string, caseInsensitive: boolean): PreparedPattern {
  const written = parsePattern(source);
  refuseNonLinear(written);
  const rewritten = rewritePattern(written, caseInsensitive);
  if (rewritten.length > MAX_REWRITTEN_CHARS) {
    throw new PatternError('size', `counted repetition unrolls to ${rewritten.length} characters for the linear-time engine (at most ${MAX_REWRITTEN_CHARS})`);
  }
  const depth = groupDepth(rewritten);
  if (depth > MAX_GROUP_DEPTH) {
    throw new PatternError('size', `groups nest ${depth} deep once counted repetition is unrolled for the linear-time engine (at most ${MAX_GROUP_DEPTH})`);
  }
  try {
    // V8's own verdict, for anything the checks above do not name.
    new RegExp(rewritten, `${PATTERN_FLAGS}l`);
  } catch (error) {
    throw new PatternError('linear-time', `cannot run in linear time: ${(error as Error).message}`);
  }
  return { source: rewritten, ast: written, regexp: new RegExp(rewritten, PATTERN_FLAGS) };
}

/** The deepest nesting of groups in a regexp source (escapes and classes skipped). */
function groupDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') deepest = Math.max(deepest, ++depth);
    else if (char === ')') depth--;
  }
  return deepest;
}

/**
 * Compiles one pattern of a rule or an argument rule, or throws a PatternError saying why it is refused.
 * The RegExp has the flags PATTERN_FLAGS (global: reset lastIndex before each use).
 */
export function compilePattern(source: string, caseInsensitive: boolean): RegExp {
  return preparePattern(source, caseInsensitive).regexp;
}
