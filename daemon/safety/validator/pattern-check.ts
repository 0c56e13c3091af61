/**
 * Reads a rule pattern (JavaScript syntax, no `u` flag) and refuses what cannot run in linear time,
 * naming the construct: backreferences and lookaround (the linear engine has no way to run them),
 * and patterns that match the empty string (a finding at every position).
 */
import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';

/** Why a pattern is refused, in one word (the -32602 error's data.rule). */
export type PatternRefusal = 'syntax' | 'linear-time' | 'empty-match' | 'size';

export class PatternError extends Error {
  constructor(
    readonly kind: PatternRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PatternError';
  }
}

// ES2022 syntax: the regexp syntax this V8 accepts (no inline modifiers, no `v` flag classes).
const parser = new RegExpParser({ ecmaVersion: 2022 });

export function parsePattern(source: string): AST.Pattern {
  try {
    return parser.parsePattern(source, 0, source.length, { unicode: false });
  } catch (error) {
    throw new PatternError('syntax', `not a valid regular expression: ${(error as Error).message}`);
  }
}

const at = (node: AST.Node) => `"${node.raw}" at offset ${node.start}`;

/** Throws a PatternError naming the first construct the linear-time engine cannot run. */
export function refuseNonLinear(pattern: AST.Pattern): void {
  visitRegExpAST(pattern, {
    onBackreferenceEnter(node) {
      throw new PatternError('linear-time', `backreference ${at(node)}: backreferences cannot run in linear time`);
    },
    onAssertionEnter(node) {
      if (node.kind === 'lookahead' || node.kind === 'lookbehind') {
        const what = `${node.negate ? 'negative ' : ''}${node.kind}`;
        throw new PatternError('linear-time', `${what} ${at(node)}: lookaround cannot run in linear time`);
      }
    },
  });
  if (minLength(pattern) === 0) throw new PatternError('empty-match', 'the pattern can match the empty string (it would find something at every position)');
}

type Sized = AST.Pattern | AST.Alternative | AST.Element;

/** The fewest characters a match of the node can have. */
export function minLength(node: Sized): number {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return Math.min(...node.alternatives.map(minLength));
    case 'Alternative':
      return node.elements.reduce((sum, element) => sum + minLength(element), 0);
    case 'Quantifier':
      return node.min * minLength(node.element);
    case 'Assertion':
    case 'Backreference':
      return 0;
    default:
      return 1;
  }
}
