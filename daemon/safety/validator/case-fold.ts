/**
 * Case-insensitive matching without the `i` flag (V8 keeps `i` regexps out of its linear-time
 * fallback): each character becomes the class of its upper- and lower-case forms. Simple case
 * folding of single UTF-16 code units, as String#toLowerCase/toUpperCase give them; a form that
 * is longer than one unit ("ß" → "SS") is left out.
 */

export function caseForms(code: number): number[] {
  const char = String.fromCharCode(code);
  const forms = [code];
  for (const other of [char.toLowerCase(), char.toUpperCase()]) {
    if (other.length === 1 && !forms.includes(other.charCodeAt(0))) forms.push(other.charCodeAt(0));
  }
  return forms;
}

/** A regexp source escape for one UTF-16 code unit, safe inside and outside a class. */
export function escapeUnit(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One character, case-insensitively: itself if it has no other case, else a class of its forms. */
export function foldCharacter(code: number, raw: string): string {
  const forms = caseForms(code);
  return forms.length === 1 ? raw : `[${forms.map(escapeUnit).join('')}]`;
}

/** A class's code-unit ranges widened by every case form of every unit in them, merged. */
export function foldRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const all: [number, number][] = ranges.map(([low, high]) => [low, high]);
  for (const [low, high] of ranges) {
    for (let code = low; code <= high; code++) {
      for (const form of caseForms(code)) if (form !== code) all.push([form, form]);
    }
  }
  all.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [low, high] of all) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}
