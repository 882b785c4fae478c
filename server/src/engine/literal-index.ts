/**
 * Which of many ASCII literals occur in a text, found in one pass (an Aho–Corasick automaton).
 *
 * Matching folds case the way a case-insensitive regex could: ASCII letters by case, and the two
 * non-ASCII letters that Unicode case folding maps to ASCII (`ſ` to s, the Kelvin sign to k). So
 * "the text contains the literal under some regex's case folding" implies "the index reports it":
 * the index may report a literal that a case-sensitive regex would not see, never the reverse.
 */
export class LiteralIndex {
  /** Column of each ASCII code in the transition table; 0 for characters no literal contains. */
  private readonly columns = new Uint8Array(128);
  /** Rows of the transition table are `1 << rowShift` wide: a shift, not a multiplication, per character. */
  private readonly rowShift: number;
  /**
   * `next[(state << rowShift) | column]`: the automaton's full transition function, as
   * `target << 1 | recognises`, the low bit set when the target state recognises a literal, so
   * the loop reads `outputStart` only there and nothing else per character. 16 bits per entry
   * while the state numbers fit beside that bit (up to 32,768 states): the table is the loop's
   * only large read, and at half the size more of it stays in the cache (the per-character cost
   * fell by about a third for the rules' literals).
   */
  private readonly next: Uint16Array | Int32Array;
  /**
   * Literal ids recognised on entering each state (its own and those of its suffixes):
   * `outputIds[outputStart[state]]` up to `outputIds[outputStart[state + 1]]`. Flat typed arrays
   * keep the per-character loop free of holes and nested arrays.
   */
  private readonly outputStart: Int32Array;
  private readonly outputIds: Int32Array;
  /**
   * Literals of one character (a space, a quote, `$`) are not in the automaton: they occur in
   * nearly every text, and as outputs they made most characters end in a recognising state, which
   * the loop must test and then walk (over the corpus's files, 14.5 M of 25 M characters with them,
   * 4.0 M without). Each character instead stamps its column in `columnSeen` with the pass's number,
   * and the pass then sets the bits of the one-character literals whose column it stamped: 10.7 →
   * 7.1 ns per character, and 1.24 → 1.01 s for the rules' 73 M characters in a one-thread scan.
   */
  private readonly singleIds: Int32Array;
  private readonly singleColumns: Int32Array;
  private readonly columnSeen: Int32Array;
  private pass = 0;

  /** `literals` must be ASCII; see `isIndexable`. Ids are positions in this list. */
  constructor(readonly literals: readonly string[]) {
    const folded = literals.map((literal) => literal.toLowerCase());
    let width = 1;
    for (const literal of folded) {
      for (let i = 0; i < literal.length; i++) {
        const code = literal.charCodeAt(i);
        if (this.columns[code] === 0) this.columns[code] = width++;
      }
    }
    // Upper-case letters share their lower-case column.
    for (let code = 65; code <= 90; code++) this.columns[code] = this.columns[code + 32] ?? 0;

    // The trie, as child maps first; the full table is filled breadth-first from it below.
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    const singles: [id: number, column: number][] = [];
    folded.forEach((literal, id) => {
      if (literal.length === 1) {
        singles.push([id, this.columns[literal.charCodeAt(0)] ?? 0]);
        return;
      }
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const column = this.columns[literal.charCodeAt(i)] ?? 0;
        let child = children[state]?.get(column);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          own.push([]);
          children[state]?.set(column, child);
        }
        state = child;
      }
      own[state]?.push(id);
    });

    const next = new Int32Array(children.length * width);
    const fail = new Int32Array(children.length);
    const outputs: (number[] | undefined)[] = new Array<number[] | undefined>(children.length);
    const queue: number[] = [];
    for (const [column, child] of children[0] ?? []) {
      next[column] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const inherited = outputs[fail[state] ?? 0];
      const mine = own[state] ?? [];
      outputs[state] = mine.length === 0 ? inherited : inherited ? [...mine, ...inherited] : mine;
      for (let column = 0; column < width; column++) {
        const child = children[state]?.get(column);
        const viaFail = next[(fail[state] ?? 0) * width + column] ?? 0;
        if (child === undefined || column === 0) {
          next[state * width + column] = column === 0 ? 0 : viaFail;
          continue;
        }
        next[state * width + column] = child;
        fail[child] = viaFail;
        queue.push(child);
      }
    }
    this.outputStart = new Int32Array(children.length + 1);
    const flatIds: number[] = [];
    for (let state = 0; state < children.length; state++) {
      this.outputStart[state] = flatIds.length;
      for (const id of outputs[state] ?? []) flatIds.push(id);
    }
    this.outputStart[children.length] = flatIds.length;
    this.outputIds = Int32Array.from(flatIds);
    const recognises = (state: number): number => ((this.outputStart[state + 1] ?? 0) > (this.outputStart[state] ?? 0) ? 1 : 0);
    this.rowShift = Math.max(0, Math.ceil(Math.log2(width)));
    const table = children.length <= 0x8000 ? new Uint16Array(children.length << this.rowShift) : new Int32Array(children.length << this.rowShift);
    for (let state = 0; state < children.length; state++) {
      for (let column = 0; column < width; column++) {
        const target = next[state * width + column] ?? 0;
        table[(state << this.rowShift) | column] = (target << 1) | recognises(target);
      }
    }
    this.next = table;
    this.singleIds = Int32Array.from(singles.map(([id]) => id));
    this.singleColumns = Int32Array.from(singles.map(([, column]) => column));
    this.columnSeen = new Int32Array(1 << this.rowShift);
  }

  /** Literals that can be indexed: ASCII only, non-empty. */
  static isIndexable(literal: string): boolean {
    return literal.length > 0 && /^[\x00-\x7f]+$/.test(literal);
  }

  /** A bit per literal id, set when the literal occurs in `text` (under case folding); see `has`. */
  presentIn(text: string): Uint32Array {
    const present = new Uint32Array(this.bitWords);
    this.markPresent(text, present);
    return present;
  }

  /** States of the automaton: past 32,768 its transitions take 32 bits each. */
  get stateCount(): number {
    return this.outputStart.length - 1;
  }

  /** Words of the bit set `presentIn` returns. */
  get bitWords(): number {
    return (this.literals.length + 31) >>> 5;
  }

  /** Sets in `present` (at least {@link bitWords} long) the bit of each literal `text` holds; clears none. */
  markPresent(text: string, present: Uint32Array): void {
    const { columns, next, outputStart, outputIds, rowShift, columnSeen } = this;
    if (this.pass === 0x7fffffff) {
      columnSeen.fill(0);
      this.pass = 0;
    }
    const pass = ++this.pass;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const column = code < 128 ? (columns[code] ?? 0) : code === 0x17f ? (columns[115] ?? 0) : code === 0x212a ? (columns[107] ?? 0) : 0;
      columnSeen[column] = pass;
      const entry = next[(state << rowShift) | column] ?? 0;
      state = entry >>> 1;
      if ((entry & 1) === 0) continue;
      const end = outputStart[state + 1] ?? 0;
      for (let at = outputStart[state] ?? 0; at < end; at++) {
        const id = outputIds[at] ?? 0;
        present[id >>> 5] = (present[id >>> 5] ?? 0) | (1 << (id & 31));
      }
    }
    const { singleIds, singleColumns } = this;
    for (let i = 0; i < singleIds.length; i++) {
      // Column 0 is every character no literal holds, never a literal's own.
      const column = singleColumns[i] ?? 0;
      if (column === 0 || columnSeen[column] !== pass) continue;
      const id = singleIds[i] ?? 0;
      present[id >>> 5] = (present[id >>> 5] ?? 0) | (1 << (id & 31));
    }
  }
}

/** Whether `presentIn` found literal `id`. */
export function has(present: Uint32Array, id: number): boolean {
  return (((present[id >>> 5] ?? 0) >>> (id & 31)) & 1) === 1;
}
