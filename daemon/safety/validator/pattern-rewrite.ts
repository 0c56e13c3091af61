/**
 * Rewrites a parsed rule pattern into the source that actually runs, so that V8's linear-time
 * fallback applies to it:
 * - case-insensitive rules get classes of both cases instead of the `i` flag (case-fold.ts);
 * - counted repetition is unrolled where V8's linear engine would refuse it: that engine copies
 *   the body of a counted quantifier once per count, and refuses a pattern once the counts of
 *   nested quantifiers multiply past LINEAR_REPLICATION_LIMIT (`a{17}`, `(a+){16}`), so `a{40}`
 *   becomes `a{16}a{16}a{8}` and `a{0,40}` nested options (the same language);
 * - groups become non-capturing (the unrolled copies of a named group would clash, and findings
 *   are whole matches);
 * - the mandatory copies of a quantifier at a match's start are written out (`\b[2-6](?:[ -]?[0-9]){12,18}`
 *   starts `\b[2-6][ -]?[0-9]…` seven positions deep): V8 reads the first positions of a pattern
 *   to skip text where no match can start, but not through a quantifier, and on the default card
 *   rule, which runs on every text, this makes a scan 3 × faster (the same language: copies a
 *   quantifier must make have no choice to backtrack into).
 */
import type { AST } from '@eslint-community/regexpp';
import { escapeUnit, foldCharacter, foldRanges } from './case-fold';

/** V8's kMaxReplicationFactor (src/regexp/experimental/experimental-compiler.cc). */
export const LINEAR_REPLICATION_LIMIT = 16;
/** Positions V8 reads at a match's start to skip text (kMaxLookaheadForBoyerMoore, src/regexp/regexp-compiler.cc). */
export const LOOKAHEAD_POSITIONS = 8;
/** A quantifier body longer than this is not written out (a pattern must not grow by copies of a large one). */
const MAX_PEELED_CHARS = 64;

export function rewritePattern(pattern: AST.Pattern, caseInsensitive: boolean): string {
  return new Rewriter(caseInsensitive).leading(pattern.alternatives);
}

/** How many copies the linear engine makes of a quantifier's body (V8's own count). */
function copies(quantifier: AST.Quantifier): number {
  return quantifier.max === Infinity ? quantifier.min + 1 : quantifier.max;
}

/** The largest product of nested quantifier copies inside a node, as written. */
function replication(node: AST.Alternative | AST.Element): number {
  switch (node.type) {
    case 'Alternative':
      return Math.max(1, ...node.elements.map(replication));
    case 'Group':
    case 'CapturingGroup':
      return Math.max(1, ...node.alternatives.map(replication));
    case 'Quantifier':
      return copies(node) * replication(node.element);
    default:
      return 1;
  }
}

class Rewriter {
  constructor(private readonly caseInsensitive: boolean) {}

  alternatives(alternatives: readonly AST.Alternative[], ambient: number): string {
    return alternatives.map((alternative) => alternative.elements.map((element) => this.element(element, ambient)).join('')).join('|');
  }

  /** Alternatives at a match's start: the first positions of each with its quantifiers' mandatory copies written out. */
  leading(alternatives: readonly AST.Alternative[]): string {
    return alternatives.map((alternative) => this.leadingElements(alternative.elements)).join('|');
  }

  private leadingElements(elements: readonly AST.Element[]): string {
    let positions = 0;
    let at = 0;
    let out = '';
    for (; at < elements.length && positions < LOOKAHEAD_POSITIONS; at++) {
      const element = elements[at]!;
      if (element.type === 'Assertion') out += this.element(element, 1);
      else if (element.type === 'Character' || element.type === 'CharacterClass' || element.type === 'CharacterSet') {
        out += this.element(element, 1);
        positions++;
      } else if (element.type === 'Group' || element.type === 'CapturingGroup') {
        // A group among the first positions: its alternatives' first positions are written out too; past it they vary.
        out += `(?:${this.leading(element.alternatives)})`;
        at++;
        break;
      } else if (element.type === 'Quantifier' && element.min > 0 && element.element.raw.length <= MAX_PEELED_CHARS) {
        const peeled = Math.min(element.min, LOOKAHEAD_POSITIONS - positions);
        out += this.element(element.element, 1).repeat(peeled);
        if (element.max > peeled) out += this.counted(element, element.min - peeled, element.max - peeled, 1);
        positions += peeled;
        // Past optional copies a position is no longer fixed.
        if (element.max !== element.min) {
          at++;
          break;
        }
      } else break;
    }
    for (; at < elements.length; at++) out += this.element(elements[at]!, 1);
    return out;
  }

  /** `ambient`: the copies the enclosing quantifiers already make of this element. */
  element(node: AST.Element, ambient: number): string {
    switch (node.type) {
      case 'Character':
        return this.character(node);
      case 'CharacterClass':
        return this.caseInsensitive ? this.foldClass(node) : node.raw;
      case 'Group':
      case 'CapturingGroup':
        return `(?:${this.alternatives(node.alternatives, ambient)})`;
      case 'Quantifier':
        return this.counted(node, node.min, node.max, ambient);
      default:
        // Assertions (^ $ \b \B) and character sets (. \d \s \w) are the same in every case.
        return node.raw;
    }
  }

  private character(node: AST.Character): string {
    // A legacy octal escape (\1 with no such group) would read as a backreference once groups exist.
    const raw = /^\\[0-9]/.test(node.raw) ? escapeUnit(node.value) : node.raw;
    return this.caseInsensitive ? foldCharacter(node.value, raw) : raw;
  }

  private foldClass(node: AST.CharacterClass): string {
    const sets: string[] = [];
    const ranges: [number, number][] = [];
    for (const element of node.elements) {
      if (element.type === 'Character') ranges.push([element.value, element.value]);
      else if (element.type === 'CharacterClassRange') ranges.push([element.min.value, element.max.value]);
      else sets.push(element.raw); // \d \s \w and their negations: closed under case already
    }
    const body = foldRanges(ranges).map(([low, high]) => (low === high ? escapeUnit(low) : `${escapeUnit(low)}-${escapeUnit(high)}`));
    return `[${node.negate ? '^' : ''}${sets.join('')}${body.join('')}]`;
  }

  /** The quantifier's body repeated min to max times (a quantifier's own counts, or what is left after leading copies). */
  private counted(node: AST.Quantifier, min: number, max: number, ambient: number): string {
    const inner = replication(node.element);
    const lazy = node.greedy ? '' : '?';
    const made = max === Infinity ? min + 1 : max;
    if (ambient * made * inner <= LINEAR_REPLICATION_LIMIT) {
      return this.element(node.element, ambient * made) + quantifierSuffix(min, max) + lazy;
    }
    // Unroll into chunks of at most `chunk` copies each; with chunk 1 the body itself is unrolled.
    const chunk = Math.max(1, Math.floor(LINEAR_REPLICATION_LIMIT / (ambient * inner)));
    const body = this.element(node.element, ambient * chunk);
    const parts: string[] = [];
    for (let left = min; left > 0; left -= chunk) parts.push(body + quantifierSuffix(Math.min(chunk, left), Math.min(chunk, left)));
    const optional = max - min;
    if (max === Infinity) parts.push(`${body}*${lazy}`);
    else if (optional > chunk) parts.push(nestedOptional(body, optional, lazy));
    else if (optional > 0) parts.push(body + quantifierSuffix(0, optional) + lazy);
    return `(?:${parts.join('')})`;
  }
}

/**
 * Up to `count` copies as nested options, `(?:b(?:b(?:b)?)?)?`: one way only to match each length
 * (so failing costs no combinatorial backtracking, as `b{0,16}b{0,16}` would), and each `?` makes
 * one copy in the linear engine, however deep.
 */
function nestedOptional(body: string, count: number, lazy: string): string {
  let nested = '';
  for (let level = 0; level < count; level++) nested = `(?:${body}${nested})?${lazy}`;
  return nested;
}

function quantifierSuffix(min: number, max: number): string {
  if (min === 1 && max === 1) return '';
  if (min === 0 && max === 1) return '?';
  if (max === Infinity) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}
