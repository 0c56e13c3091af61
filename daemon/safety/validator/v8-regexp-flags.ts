/**
 * Turns on V8's linear-time regexp engine as the fallback for rule patterns. Imported first by
 * the validator, so it runs before any rule is compiled: V8 fixes a regexp's backtrack limit when
 * the regexp is created, so only regexps created after these flags get the fallback.
 *
 * With the fallback on, one exec of a regexp that the linear engine can run (no backreferences,
 * no lookaround, no `i` or `u` flag, nested counted repetition at most 16: pattern.ts makes every
 * accepted rule such a regexp) backtracks at most BACKTRACKS_BEFORE_FALLBACK times and then
 * finishes in the linear engine. So a rule costs O(text) per exec plus that constant, whatever
 * its pattern: `(a+)+$` cannot hang the daemon.
 *
 * The backtracking engine stays the first choice because it is the fast one on ordinary rules
 * (the linear engine is tens of times slower per character); the limit is high enough that an
 * ordinary rule over a long text does not fall back, and low enough that an evil one wastes little.
 */
import { setFlagsFromString } from 'node:v8';

export const BACKTRACKS_BEFORE_FALLBACK = 10_000;

setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
setFlagsFromString(`--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_FALLBACK}`);
// Makes the `l` flag available: pattern.ts asks V8 itself, with it, whether a pattern can run in
// linear time (the fallback exists only for those).
setFlagsFromString('--enable-experimental-regexp-engine');
