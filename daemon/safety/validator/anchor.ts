/**
 * Anchored scanning for a rule whose prefilter knows only one character every match holds (the
 * email rule's `@`). V8 runs such a pattern from every position of the text, each failing only
 * after its left part (`[A-Za-z0-9._%+-]+`) has read a whole word; but a match can only start
 * within the run of left-part characters just before an `@`. So the text is searched for the
 * character natively, the run scanned back from it, and the rule tried (sticky) at each start in
 * the run: on text with no `@` nothing runs, and elsewhere only a few tries near each `@`.
 *
 * Exact: a match starting before the run would hold, left of its `@`, the character that ended
 * the run, which its left part cannot match; tried in order, the first start that matches is the
 * leftmost match, as a plain scan would find it. A run longer than MAX_TRIES falls back to a plain
 * scan from its start (bounded by the linear-time fallback, where many sticky tries would not be).
 */
import type { AST } from '@eslint-community/regexpp';
import { caseForms } from './case-fold';

/** Starts tried in one run before the scan goes plain. */
export const MAX_TRIES = 64;

export interface Anchor {
  /** The character every match holds, at the pattern's top level. */
  char: string;
  /** Code unit → 1 when the pattern's part left of the character can match it. */
  before: Uint8Array;
}

/**
 * The anchor of a pattern of one alternative holding, at its top level, a character without case
 * forms that is the rule's only literal, and left of it only parts whose characters are known.
 */
export function anchorOf(pattern: AST.Pattern, caseInsensitive: boolean, literals: readonly string[] | null): Anchor | null {
  if (pattern.alternatives.length !== 1 || literals?.length !== 1 || literals[0]!.length !== 1) return null;
  const elements = pattern.alternatives[0]!.elements;
  const at = elements.findIndex((e) => e.type === 'Character' && String.fromCharCode(e.value) === literals[0] && caseForms(e.value).length === 1);
  if (at < 0) return null;
  const before = new Uint8Array(65536);
  for (const element of elements.slice(0, at)) if (!addChars(element, caseInsensitive, before)) return null;
  return { char: literals[0]!, before };
}

/** Marks every code unit the element can match; false when it cannot tell. */
function addChars(node: AST.Element | AST.Alternative, caseInsensitive: boolean, into: Uint8Array): boolean {
  switch (node.type) {
    case 'Alternative':
      return node.elements.every((element) => addChars(element, caseInsensitive, into));
    case 'Group':
    case 'CapturingGroup':
      return node.alternatives.every((alternative) => addChars(alternative, caseInsensitive, into));
    case 'Quantifier':
      return addChars(node.element, caseInsensitive, into);
    case 'Assertion':
      return node.kind === 'start' || node.kind === 'end' || node.kind === 'word'; // zero width
    case 'Character':
    case 'CharacterClass':
    case 'CharacterSet': {
      // The element's own source, asked of V8 for every code unit; ignoring case, with V8's `i` and
      // with each unit's case forms, as pattern-rewrite.ts folds it: more units only stop the scan back later.
      const exact = new RegExp(`^(?:${node.raw})$`);
      const folded = new RegExp(`^(?:${node.raw})$`, 'i');
      for (let code = 0; code < 65536; code++) {
        const char = String.fromCharCode(code);
        if (!exact.test(char) && !(caseInsensitive && folded.test(char))) continue;
        into[code] = 1;
        if (caseInsensitive) for (const form of caseForms(code)) into[form] = 1;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Every match of `sticky` (the rule's regexp with the `y` flag) and `plain` (its `g` regexp), as
 * the plain scan would find them, each handed to `found` with `context` (no closure per call).
 */
export function findAnchored<C>(text: string, anchor: Anchor, sticky: RegExp, plain: RegExp, found: (context: C, match: RegExpExecArray) => void, context: C): void {
  let from = 0;
  for (let hit = text.indexOf(anchor.char); hit !== -1; hit = text.indexOf(anchor.char, from)) {
    let start = hit;
    while (start > from && anchor.before[text.charCodeAt(start - 1)] === 1) start--;
    if (hit - start >= MAX_TRIES) {
      plain.lastIndex = start;
      for (let match = plain.exec(text); match; match = plain.exec(text)) found(context, match);
      return;
    }
    from = hit + 1;
    for (let at = start; at <= hit; at++) {
      sticky.lastIndex = at;
      const match = sticky.exec(text);
      if (match) {
        found(context, match);
        from = sticky.lastIndex;
        break;
      }
    }
  }
}
