/**
 * One pass over the text for the whole rule set: an Aho–Corasick automaton over every rule's
 * literals (literals.ts), ASCII case folded, as a flat transition table, tells which rules'
 * literals occur in a text. A rule with literals runs only if one of them occurred.
 *
 * The pass reads bytes, not the string: the text is first copied into a buffer as Latin-1 (one
 * byte per UTF-16 unit, natively), and a loop over a byte array runs several times faster in V8
 * than `charCodeAt` on the string. Latin-1 keeps every unit below 256 as it is; a unit above is
 * cut to its low byte, which can only add a literal sighting (a rule runs that need not), never
 * hide one, since no literal holds such a unit: a literal that does leaves its rule unfiltered
 * (it always runs). A long text is read four bytes at a time, as words of the same buffer.
 */

/** Longest literal kept (a prefix of a needed string is needed too). */
const MAX_LITERAL_CHARS = 16;
/** Bounds the table (states × 256 bytes, 8 MiB; so a state number fits 16 bits); rules past it simply always run. */
const MAX_TABLE_ENTRIES = 1 << 22;
/** Character classes of the automaton's alphabet (class 0: every other character). */
const MAX_ALPHABET = 255;
/** The text is read as Latin-1 bytes: a literal with a unit past this cannot be looked for. */
const MAX_LITERAL_UNIT = 0xff;
/** Texts shorter than this are read in one walk (splitting them gains nothing). */
const MIN_SPLIT_CHARS = 64;
/** Nor a text whose quarters would be under twice the words each walk reads on past its own. */
const MIN_QUARTER_OVERLAPS = 2;
/** A word's first byte is its lowest (the walks take a word's bytes by shifting; else they read bytes). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** A table row per state: one entry per byte value. */
const BYTES = 256;

/**
 * Holds the last scan's results until the next scan: `validate` is synchronous and reads them
 * right after its own scan, so one automaton serves every validation of its set.
 */
export interface Prefilter {
  /** Rules (by the index given to buildPrefilter) whose literals are in the automaton. */
  readonly filtered: ReadonlySet<number>;
  /** Marks the rules whose literals occur in the text. */
  scan(text: string): void;
  /** Whether the last scan saw a literal of the rule (for a rule in `filtered`). */
  seen(rule: number): boolean;
}

const foldCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/** `literals[i]`: rule i's literals, or null when it has none (it always runs). */
export function buildPrefilter(literals: readonly (readonly string[] | null)[]): Prefilter {
  const trie = new Trie();
  const filtered = new Set<number>();
  literals.forEach((strings, rule) => {
    if (!strings) return;
    const cut = [...new Set(strings.map((s) => s.slice(0, MAX_LITERAL_CHARS)))];
    if (trie.fits(cut)) {
      for (const s of cut) trie.insert(s, rule);
      filtered.add(rule);
    }
  });
  return new Automaton(trie, filtered, literals.length);
}

/** The literals as a trie of Maps while the set is being built. */
class Trie {
  readonly next: Map<number, number>[] = [new Map()];
  readonly out: number[][] = [[]];
  readonly alphabet = new Map<number, number>();
  /** The longest string inserted. */
  longest = 0;

  /** Whether adding these strings keeps the table within its bounds. */
  fits(strings: readonly string[]): boolean {
    let states = this.next.length;
    const chars = new Set(this.alphabet.keys());
    for (const s of strings) {
      let state: number | undefined = 0;
      for (let i = 0; i < s.length; i++) {
        const code = foldCode(s.charCodeAt(i));
        if (code > MAX_LITERAL_UNIT) return false;
        chars.add(code);
        state = state === undefined ? undefined : this.next[state]!.get(code);
        if (state === undefined) states++;
      }
    }
    return chars.size <= MAX_ALPHABET && states * BYTES <= MAX_TABLE_ENTRIES;
  }

  insert(s: string, rule: number): void {
    this.longest = Math.max(this.longest, s.length);
    let state = 0;
    for (let i = 0; i < s.length; i++) {
      const code = foldCode(s.charCodeAt(i));
      if (!this.alphabet.has(code)) this.alphabet.set(code, this.alphabet.size + 1);
      let child = this.next[state]!.get(code);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.out.push([]);
        this.next[state]!.set(code, child);
      }
      state = child;
    }
    if (!this.out[state]!.includes(rule)) this.out[state]!.push(rule);
  }
}

class Automaton implements Prefilter {
  /**
   * Transitions: the next state at (state << 8) | byte, upper-case ASCII moving as its lower case.
   * A row per byte value, not per character class, saves the walk a read per byte (about a
   * quarter of its time here); the rows of the states a walk is mostly in stay in the CPU's cache.
   */
  private readonly table: Uint16Array;
  /** States from this one on have outputs (they are numbered last). */
  private readonly firstOutput: number;
  /** Bytes a walk reads past its quarter: the longest literal's length less one. */
  private readonly overlap: number;
  /** Rules of each output state: outRules[outStart[k]..outStart[k+1]) for the k-th output state. */
  private readonly outStart: Int32Array;
  private readonly outRules: Int32Array;
  /** The scan generation in which each rule was last seen (no clearing between scans). */
  private readonly seenIn: Uint32Array;
  private generation = 0;
  /** The text being scanned, as Latin-1 bytes, and the same memory as words (see allocate). */
  private bytes!: Buffer;
  private words!: Uint32Array;

  constructor(
    trie: Trie,
    readonly filtered: ReadonlySet<number>,
    rules: number,
  ) {
    const width = trie.alphabet.size + 1;
    this.overlap = Math.max(0, trie.longest - 1);
    // Byte → alphabet class while the table is built (upper-case ASCII in its lower case's class).
    const classes = new Uint8Array(BYTES);
    for (const [code, cls] of trie.alphabet) {
      classes[code] = cls;
      if (code >= 97 && code <= 122) classes[code - 32] = cls;
    }
    const { order, moves, outputs } = linkFailures(trie, width);
    // Renumber: states without outputs first, so one comparison tells whether a state has any.
    const plain = order.filter((state) => outputs[state]!.length === 0);
    const marked = order.filter((state) => outputs[state]!.length > 0);
    const number = new Int32Array(trie.next.length);
    [...plain, ...marked].forEach((state, index) => (number[state] = index));
    this.firstOutput = plain.length;
    this.table = new Uint16Array(trie.next.length * BYTES);
    for (const state of order) {
      for (let byte = 0; byte < BYTES; byte++) this.table[(number[state]! << 8) | byte] = number[moves[state * width + classes[byte]!]!]!;
    }
    this.outStart = new Int32Array(marked.length + 1);
    const flat: number[] = [];
    marked.forEach((state, k) => {
      flat.push(...outputs[state]!);
      this.outStart[k + 1] = flat.length;
    });
    this.outRules = Int32Array.from(flat);
    this.seenIn = new Uint32Array(rules);
    this.allocate(1024);
  }

  scan(text: string): void {
    if (++this.generation === 0xffffffff) {
      this.seenIn.fill(0);
      this.generation = 1;
    }
    if (this.bytes.length < text.length) this.allocate(text.length);
    const length = this.bytes.write(text, 0, 'latin1');
    // The walks read whole words only: the last reads the bytes after the last whole word singly.
    const wordCount = length >> 2;
    const overlapWords = (this.overlap + 3) >> 2;
    if (!LITTLE_ENDIAN || length < MIN_SPLIT_CHARS || wordCount < 4 * MIN_QUARTER_OVERLAPS * overlapWords) {
      this.run(0, 0, length);
      return;
    }
    // Four independent walks, one per quarter, each reading on past its quarter's end far enough
    // to finish a literal begun inside it: a walk's next state waits on its last table read, so
    // one walk leaves the CPU idle between reads; four interleaved keep it busy (about 1.7 × here).
    // Each reads its quarter a word (four bytes) at a time and shifts the bytes out: one read of
    // the text per four bytes, not per byte, takes about a third off the walks.
    // The quarters are cut so that all four walks read on in the same loop; the last reads the
    // few bytes left after it alone.
    const { table, firstOutput: f, words } = this;
    const quarter = (wordCount - overlapWords) >> 2;
    const steps = quarter + overlapWords;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < steps; i++) {
      const wa = words[i]!;
      const wb = words[i + quarter]!;
      const wc = words[i + 2 * quarter]!;
      const wd = words[i + 3 * quarter]!;
      a = table[(a << 8) | (wa & 0xff)]!;
      b = table[(b << 8) | (wb & 0xff)]!;
      c = table[(c << 8) | (wc & 0xff)]!;
      d = table[(d << 8) | (wd & 0xff)]!;
      if (a >= f || b >= f || c >= f || d >= f) this.mark4(a, b, c, d);
      a = table[(a << 8) | ((wa >>> 8) & 0xff)]!;
      b = table[(b << 8) | ((wb >>> 8) & 0xff)]!;
      c = table[(c << 8) | ((wc >>> 8) & 0xff)]!;
      d = table[(d << 8) | ((wd >>> 8) & 0xff)]!;
      if (a >= f || b >= f || c >= f || d >= f) this.mark4(a, b, c, d);
      a = table[(a << 8) | ((wa >>> 16) & 0xff)]!;
      b = table[(b << 8) | ((wb >>> 16) & 0xff)]!;
      c = table[(c << 8) | ((wc >>> 16) & 0xff)]!;
      d = table[(d << 8) | ((wd >>> 16) & 0xff)]!;
      if (a >= f || b >= f || c >= f || d >= f) this.mark4(a, b, c, d);
      a = table[(a << 8) | (wa >>> 24)]!;
      b = table[(b << 8) | (wb >>> 24)]!;
      c = table[(c << 8) | (wc >>> 24)]!;
      d = table[(d << 8) | (wd >>> 24)]!;
      if (a >= f || b >= f || c >= f || d >= f) this.mark4(a, b, c, d);
    }
    this.run(d, (3 * quarter + steps) << 2, length);
  }

  /** Room for a text of `chars` units: one buffer seen as bytes and as words (so word-aligned). */
  private allocate(chars: number): void {
    const memory = new ArrayBuffer((chars + 3) & ~3);
    this.bytes = Buffer.from(memory);
    this.words = new Uint32Array(memory);
  }

  /** Marks the rules of whichever of four walks' states have outputs. */
  private mark4(a: number, b: number, c: number, d: number): void {
    const f = this.firstOutput;
    if (a >= f) this.mark(a);
    if (b >= f) this.mark(b);
    if (c >= f) this.mark(c);
    if (d >= f) this.mark(d);
  }

  /** One walk from `state` over bytes [from, to). */
  private run(state: number, from: number, to: number): void {
    const { table, firstOutput, bytes } = this;
    for (let i = from; i < to; i++) {
      state = table[(state << 8) | bytes[i]!]!;
      if (state >= firstOutput) this.mark(state);
    }
  }

  /** Marks the rules of an output state. */
  private mark(state: number): void {
    const output = state - this.firstOutput;
    for (let k = this.outStart[output]!; k < this.outStart[output + 1]!; k++) this.seenIn[this.outRules[k]!] = this.generation;
  }

  seen(rule: number): boolean {
    return this.seenIn[rule] === this.generation;
  }
}

/**
 * The complete moves of the automaton (state × class → state), built breadth first: a missing
 * transition is the failure state's move, already known as it is shallower. Each state's outputs
 * include those of its failure state.
 */
function linkFailures(trie: Trie, width: number): { order: number[]; moves: Int32Array; outputs: number[][] } {
  const moves = new Int32Array(trie.next.length * width);
  const fail = new Int32Array(trie.next.length);
  const outputs = trie.out.map((rules) => [...rules]);
  const order = [0];
  for (let head = 0; head < order.length; head++) {
    const state = order[head]!;
    for (let cls = 1; cls < width; cls++) moves[state * width + cls] = moves[fail[state]! * width + cls]!;
    for (const [code, child] of trie.next[state]!) {
      const cls = trie.alphabet.get(code)!;
      // The failure of a child is where the parent's failure moves on the same character.
      fail[child] = state === 0 ? 0 : moves[fail[state]! * width + cls]!;
      moves[state * width + cls] = child;
      order.push(child);
      for (const rule of outputs[fail[child]!]!) if (!outputs[child]!.includes(rule)) outputs[child]!.push(rule);
    }
  }
  return { order, moves, outputs };
}
