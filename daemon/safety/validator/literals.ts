/**
 * What a rule's matches must contain, read from its pattern: the prefilter runs a rule
 * only when the text has what every match needs. Over-approximate by construction: each fact is
 * implied by every possible match, so skipping a rule whose facts are absent never loses a finding.
 *
 * - `literals`: strings, one of which occurs (ASCII-folded: "akia" for AKIA) in every match; null
 *   when the pattern has none worth scanning for.
 */
import type { AST } from '@eslint-community/regexpp';
import { caseForms } from './case-fold';

export interface RuleFacts {
  literals: string[] | null;
}

/** Largest set of strings tracked for one node (cross products past it are dropped). */
const MAX_STRINGS = 64;
/** Largest set of alternatives' needs kept (each is a literal the scan looks for). */
const MAX_NEEDS = 256;
/** A class is read as its characters when it has at most this many (after folding). */
const MAX_CLASS_CHARS = 16;
/** Longest string kept whole in a cross product. */
const MAX_STRING_CHARS = 32;
/** A literal set whose estimated chance of occurring at a position is above this is not worth a scan. */
const MAX_USEFUL_CHANCE = 0.05;

/** `caseInsensitive`: the rule's flag (the pattern as written, before case-fold.ts). */
export function ruleFacts(pattern: AST.Pattern, caseInsensitive: boolean): RuleFacts {
  const reader = new FactReader(caseInsensitive);
  const { need } = reader.alternatives(pattern.alternatives);
  const literals = need && chance(need) <= MAX_USEFUL_CHANCE ? [...need] : null;
  return { literals };
}

type Strings = Set<string>;

interface Info {
  /** Every string the node can match, when few (folded); null when many. */
  exact: Strings | null;
  /** Strings one of which is in every match of the node; null when nothing is known. */
  need: Strings | null;
}

const fold = (code: number) => String.fromCharCode(code >= 65 && code <= 90 ? code + 32 : code);
const DIGITS: Strings = new Set('0123456789');

function cross(left: Strings, right: Strings): Strings | null {
  if (left.size * right.size > MAX_STRINGS) return null;
  const out = new Set<string>();
  for (const a of left) {
    for (const b of right) {
      if (a.length + b.length > MAX_STRING_CHARS) return null;
      out.add(a + b);
    }
  }
  return out;
}

function union(sets: readonly (Strings | null)[], max = MAX_STRINGS): Strings | null {
  const out = new Set<string>();
  for (const set of sets) {
    if (!set) return null;
    set.forEach((s) => out.add(s));
    if (out.size > max) return null;
  }
  return out;
}

/** The candidate least likely to occur by chance (a set holding "" is always there: no use). */
function best(candidates: readonly Strings[]): Strings | null {
  let chosen: Strings | null = null;
  for (const candidate of candidates) {
    if (candidate.size === 0 || candidate.has('')) continue;
    if (!chosen || chance(candidate) < chance(chosen)) chosen = candidate;
  }
  return chosen;
}

/** A rough chance that one of the strings starts at a given position of ordinary text. */
function chance(strings: Strings): number {
  const known = chances.get(strings);
  if (known !== undefined) return known;
  let sum = 0;
  for (const s of strings) {
    let p = 1;
    for (let i = 0; i < s.length; i++) p *= charChance(s.charCodeAt(i));
    sum += p;
  }
  chances.set(strings, sum);
  return sum;
}

const chances = new WeakMap<Strings, number>();

function charChance(code: number): number {
  if ((code >= 97 && code <= 122) || code === 32) return 0.12;
  return code >= 48 && code <= 57 ? 0.05 : 0.02;
}

class FactReader {
  constructor(private readonly caseInsensitive: boolean) {}

  /** A character as the scan sees it: ASCII folded, and in every case when the rule ignores case. */
  private chars(code: number): Strings {
    return this.addChar(new Set<string>(), code);
  }

  private addChar(chars: Strings, code: number): Strings {
    for (const form of this.caseInsensitive ? caseForms(code) : [code]) chars.add(fold(form));
    return chars;
  }

  node(node: AST.Element): Info {
    switch (node.type) {
      case 'Character':
        return this.leaf(this.chars(node.value));
      case 'CharacterClass':
        return this.leaf(this.classChars(node));
      case 'CharacterSet':
        return this.leaf(node.kind === 'digit' && !node.negate ? DIGITS : null);
      case 'Group':
      case 'CapturingGroup':
        return this.alternatives(node.alternatives);
      case 'Quantifier':
        return this.quantifier(node);
      default:
        return { exact: new Set(['']), need: null }; // assertions match no characters
    }
  }

  private leaf(exact: Strings | null): Info {
    return { exact, need: exact };
  }

  private classChars(node: AST.CharacterClass): Strings | null {
    if (node.negate) return null;
    const chars = new Set<string>();
    for (const element of node.elements) {
      if (element.type === 'Character') this.addChar(chars, element.value);
      else if (element.type === 'CharacterClassRange' && element.max.value - element.min.value < 2 * MAX_CLASS_CHARS) {
        for (let code = element.min.value; code <= element.max.value; code++) this.addChar(chars, code);
      } else if (element.type === 'CharacterSet' && element.kind === 'digit' && !element.negate) DIGITS.forEach((d) => chars.add(d));
      else return null;
      if (chars.size > MAX_CLASS_CHARS) return null;
    }
    return chars;
  }

  alternatives(alternatives: readonly AST.Alternative[]): Info {
    const infos = alternatives.map((alternative) => this.sequence(alternative));
    const exact = union(infos.map((info) => info.exact));
    const need = union(infos.map((info) => info.need), MAX_NEEDS);
    return { exact, need: need && (!need.has('') ? need : null) };
  }

  /** A sequence needs the best of its elements' needs and of the cross products of its runs of exact elements. */
  private sequence(alternative: AST.Alternative): Info {
    const candidates: Strings[] = [];
    let whole: Strings | null = new Set(['']);
    let run: Strings = new Set(['']);
    for (const element of alternative.elements) {
      const info = this.node(element);
      // An exact element's need is never better than the run that holds it.
      if (info.need && !info.exact) candidates.push(info.need);
      if (info.exact) {
        whole = whole && cross(whole, info.exact);
        const longer = cross(run, info.exact);
        if (!longer) candidates.push(run);
        run = longer ?? info.exact;
      } else {
        whole = null;
        // A repetition of at least one copy starts and ends with a copy: the run goes on into its
        // first, and a new run starts with its last (`\([0-9]{3}` holds "(0"…"(9").
        const copy = element.type === 'Quantifier' && element.min > 0 ? this.node(element.element).exact : null;
        candidates.push((copy && cross(run, copy)) || run);
        run = copy ?? new Set(['']);
      }
    }
    candidates.push(run);
    return { exact: whole, need: best(candidates) };
  }

  private quantifier(node: AST.Quantifier): Info {
    const inner = this.node(node.element);
    let exact: Strings | null = null;
    if (inner.exact && node.max !== Infinity) {
      let power: Strings | null = new Set(['']);
      const lengths: (Strings | null)[] = [];
      for (let count = 0; count <= node.max && power; count++) {
        if (count >= node.min) lengths.push(power);
        power = count < node.max ? cross(power, inner.exact) : power;
      }
      exact = power ? union(lengths) : null;
    }
    if (node.min === 0) return { exact, need: null };
    let repeated: Strings | null = inner.exact;
    for (let count = 1; count < node.min && repeated; count++) repeated = cross(repeated, inner.exact!);
    return { exact, need: best([inner.need, repeated, exact].filter((s): s is Strings => s !== null)) };
  }
}
