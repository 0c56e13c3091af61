/**
 * Where a refused field is in the document the user saved: the daemon names it as a path
 * (`rules[3].pattern` from the rule compiler, `rules.3.pattern` from param validation,
 * `policy.agents.2.argRules.0.pattern`), and the diagnostic goes on that value's line. Plain
 * TypeScript over jsonc-parser's tree.
 */
import { findNodeAtLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';

export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * The path inside the document: `root` is the param the document is (`rules`, `policy`), whose
 * name leads the daemon's path but not the document's. Indexes become numbers.
 */
export function documentPath(field: string, root: string): JSONPath {
  const segments = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  return segments[0] === root ? segments.slice(1) : segments;
}

/**
 * The range of the value at the path, or of its nearest ancestor the text has (a required field
 * that is missing is reported on the object that lacks it); the first line when nothing matches.
 */
export function locateField(text: string, path: JSONPath): TextRange {
  const tree = parseTree(text);
  let node: Node | undefined;
  for (let length = path.length; tree && !node && length >= 0; length--) node = findNodeAtLocation(tree, path.slice(0, length));
  if (!node) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  // An object or array spans many lines: its first line is where the eye goes.
  const end = node.type === 'object' || node.type === 'array' ? node.offset + 1 : node.offset + node.length;
  return { start: position(text, node.offset), end: position(text, end) };
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
