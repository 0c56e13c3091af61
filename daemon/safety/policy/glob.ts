/**
 * Globs of the policy (agent ids, tool refs): `*` any run of characters (':' included), `?` one.
 * Matched by the classic two-pointer walk that retries only from the last `*`: O(text × glob) at
 * worst, where a regular expression of many `.*` backtracks polynomially.
 */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = t;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
