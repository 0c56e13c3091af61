/**
 * Finds what JSON.parse would silently alter or what later recursive code could not handle, in
 * the text of a message that has already parsed: numbers outside IEEE-754 doubles (`1e309` becomes
 * Infinity, then `null`), integers beyond 2^53 (`12345678901234567890123` would be rounded), and
 * nesting deeper than the limit (JSON.stringify and validation recurse). The daemon refuses these
 * instead of storing a different value than the client sent (docs/decisions.md).
 *
 * One pass over the text, no recursion; paths are only built for the problems found.
 */

export interface JsonProblem {
  /** Where, from the request object: ['params', 'data', 'x'] or ['id']. */
  path: (string | number)[];
  rule: 'maxJsonDepth' | 'number';
  message: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const MINUS = 45;

/** Texts that cannot hold a problem: shallow enough and without a long digit run or a 3-digit exponent. */
const NUMBER_HINT = /\d{16}|[eE][+-]?\d{3}/;

interface Level {
  array: boolean;
  index: number;
  /** Object levels: the span of the current key's quoted text. */
  keyStart: number;
  keyEnd: number;
  expectKey: boolean;
}

/**
 * The first problem of each request: keyed by its index in a batch, or by -1 for a single
 * request. Undefined when there is none.
 */
export function scanJson(text: string, maxDepth: number): Map<number, JsonProblem> | undefined {
  if (text.length <= 2 * maxDepth && !NUMBER_HINT.test(text)) return undefined;
  const batch = text.trimStart().charCodeAt(0) === OPEN_BRACKET;
  const base = batch ? 1 : 0;
  const stack: Level[] = [];
  let problems: Map<number, JsonProblem> | undefined;
  const report = (rule: JsonProblem['rule'], message: (path: string) => string) => {
    const request = batch ? stack[0]!.index : -1;
    if (problems?.has(request)) return;
    const path = stack.slice(base).map((level) => (level.array ? level.index : (JSON.parse(text.slice(level.keyStart, level.keyEnd)) as string)));
    if (rule === 'maxJsonDepth') path.pop(); // the level that went too deep has no key yet
    (problems ??= new Map()).set(request, { path, rule, message: message(fieldName(path.slice(1))) });
  };

  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i = endOfString(text, i);
      const top = stack[stack.length - 1];
      if (top && top.expectKey) {
        top.keyStart = start;
        top.keyEnd = i;
        top.expectKey = false;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      stack.push({ array: c === OPEN_BRACKET, index: 0, keyStart: -1, keyEnd: -1, expectKey: c === OPEN_BRACE });
      if (stack.length - base === maxDepth + 1) {
        stack[stack.length - 1]!.array = true; // keyless: reported by its parent's path
        report('maxJsonDepth', (at) => `${at || 'the request'} nests deeper than ${maxDepth} levels of arrays and objects`);
      }
      i += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      i += 1;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1]!;
      if (top.array) top.index += 1;
      else top.expectKey = true;
      i += 1;
    } else if (c === MINUS || (c >= 48 && c <= 57)) {
      const start = i;
      while (i < n && isNumberChar(text.charCodeAt(i))) i += 1;
      const literal = text.slice(start, i);
      const why = numberProblem(literal);
      if (why) report('number', (at) => `${at || 'the value'} is ${abbreviate(literal)}, ${why}`);
    } else {
      i += 1; // whitespace, ':' and the letters of true / false / null
    }
  }
  return problems;
}

function numberProblem(literal: string): string | undefined {
  const value = Number(literal);
  if (!Number.isFinite(value)) return 'outside the range of a 64-bit float (IEEE-754)';
  if (!/[.eE]/.test(literal) && !Number.isSafeInteger(value)) return 'an integer beyond ±2^53 that would lose digits: send it as a string';
  return undefined;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS;
}

/** Index just past the closing quote of the string that opens at `i`. */
function endOfString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** A dotted field name, shortened when a deep path would make it unreadable. */
export function fieldName(path: (string | number)[]): string {
  return path.length > 8 ? `${path.slice(0, 8).join('.')}...` : path.join('.');
}

function abbreviate(literal: string): string {
  return literal.length > 40 ? `${literal.slice(0, 37)}...` : literal;
}
