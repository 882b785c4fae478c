import { has, LiteralIndex } from './literal-index';
import type { LiteralOptions } from './rule-types';

/**
 * Literal options of many patterns over one shared literal index (see `requiredLiteralOptions`):
 * one pass over a text says which literals it holds, and then, per pattern, whether any of its
 * options holds, without scanning the text again.
 */
export class LiteralOptionTable<Key> {
  private readonly ids = new Map<string, number>();
  /** Position of each key with options in `flat`. */
  private readonly keyIndex = new Map<Key, number>();
  /**
   * Per key, its options flattened for a loop without allocation: option count, then for each
   * option its set count, then for each set its literal count and ids.
   */
  private readonly flat: Int32Array[] = [];
  private built: LiteralIndex | undefined;
  /** Per literal id, the keys (by index) whose options name it; built with the index. */
  private postings: Int32Array[] = [];

  /**
   * Records the options of `key`. Keys whose options are unknown, or hold a literal the index
   * cannot take, are left out: `allows` is then always true for them.
   */
  add(key: Key, options: LiteralOptions | undefined): void {
    if (!options || options.some((option) => option.some((set) => !set.every(LiteralIndex.isIndexable)))) return;
    // An option without sets holds in every text but names no literal, so no candidate mark would
    // ever point at it: such a key is not gated at all.
    if (options.some((option) => option.length === 0)) return;
    const flat = [options.length];
    const idsOf = new Map<readonly string[], number[]>();
    for (const option of options) {
      flat.push(option.length);
      for (const set of option) {
        let ids = idsOf.get(set);
        if (!ids) {
          ids = set.map((literal) => this.idOf(literal));
          idsOf.set(set, ids);
        }
        flat.push(set.length, ...ids);
      }
    }
    const existing = this.keyIndex.get(key);
    if (existing !== undefined) this.flat[existing] = Int32Array.from(flat);
    else {
      this.keyIndex.set(key, this.flat.length);
      this.flat.push(Int32Array.from(flat));
    }
    this.built = undefined;
  }

  /** Whether `key` has options, so `allows` can say no. */
  gates(key: Key): boolean {
    return this.keyIndex.has(key);
  }

  /** The literals of every option added so far, found in one pass over `text`. */
  presentIn(text: string): LiteralPresence {
    return { bits: this.index().presentIn(text) };
  }

  /** Words of the bit set {@link markPresent} fills. */
  get bitWords(): number {
    return this.index().bitWords;
  }

  /**
   * Sets in `bits` the literals `text` holds, as {@link presentIn} does, in the caller's buffer:
   * for callers that test every sentence of a file, where a new buffer per sentence cost as much
   * as the pass itself.
   */
  markPresent(text: string, bits: Uint32Array): void {
    this.index().markPresent(text, bits);
  }

  /**
   * {@link allowsAt} without the per-text candidate marks: cheaper when a text is tested against
   * a few keys, each with few literals.
   */
  satisfiedAt(index: number, bits: Uint32Array): boolean {
    const flat = this.flat[index];
    return flat === undefined || satisfied(flat, bits);
  }

  /**
   * False when no option of `key` holds in a text whose `presentIn` is `presence`, so its pattern
   * cannot match there. `presence` must come from this table after `key` was added.
   */
  allows(key: Key, presence: LiteralPresence): boolean {
    const index = this.keyIndex.get(key);
    return index === undefined || this.allowsAt(index, presence);
  }

  /** The position of `key` for `allowsAt`, or undefined when it has no options. */
  indexOf(key: Key): number | undefined {
    return this.keyIndex.get(key);
  }

  /** `allows` for the key at `index` (see `indexOf`), for callers that test one key on many texts. */
  allowsAt(index: number, presence: LiteralPresence): boolean {
    // Most keys name none of a text's literals: one look-up rules them out before their options
    // are walked.
    presence.candidates ??= this.candidatesOf(presence.bits);
    if (presence.candidates[index] !== 1) return false;
    return satisfied(this.flat[index] as Int32Array, presence.bits);
  }

  /** Keys with options. */
  get size(): number {
    return this.flat.length;
  }

  /** A mark per key naming at least one of the present literals. */
  private candidatesOf(bits: Uint32Array): Uint8Array {
    const candidates = new Uint8Array(this.flat.length);
    this.markCandidates(bits, candidates);
    return candidates;
  }

  /**
   * Sets in `candidates` (at least {@link size} long; cleared first) a mark per key naming at
   * least one of the literals in `bits`, in the caller's buffer. A key without a mark cannot be
   * satisfied: each of its options needs one of its literals.
   */
  markCandidates(bits: Uint32Array, candidates: Uint8Array): void {
    this.index();
    candidates.fill(0);
    for (let word = 0; word < bits.length; word++) {
      let remaining = bits[word] ?? 0;
      while (remaining !== 0) {
        const low = remaining & -remaining;
        const id = (word << 5) + (31 - Math.clz32(low));
        remaining ^= low;
        const keys = this.postings[id];
        if (keys) for (let i = 0; i < keys.length; i++) candidates[keys[i] ?? 0] = 1;
      }
    }
  }

  private idOf(literal: string): number {
    const folded = literal.toLowerCase();
    let id = this.ids.get(folded);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(folded, id);
      this.built = undefined;
    }
    return id;
  }

  private index(): LiteralIndex {
    if (!this.built) {
      this.built = new LiteralIndex([...this.ids.keys()]);
      const postings: Set<number>[] = Array.from({ length: this.ids.size }, () => new Set<number>());
      this.flat.forEach((flat, keyIndex) => {
        let at = 1;
        for (let option = flat[0] ?? 0; option > 0; option--) {
          for (let sets = flat[at++] ?? 0; sets > 0; sets--) {
            const count = flat[at++] ?? 0;
            for (let i = at; i < at + count; i++) postings[flat[i] ?? 0]?.add(keyIndex);
            at += count;
          }
        }
      });
      this.postings = postings.map((keys) => Int32Array.from(keys));
    }
    return this.built;
  }
}

/** Which of a table's literals a text holds (see `LiteralOptionTable.presentIn`). */
export interface LiteralPresence {
  readonly bits: Uint32Array;
  /** Filled on first use: a mark per key of the table naming one of the present literals. */
  candidates?: Uint8Array;
}

/** Whether some option of `flat` has a present literal in each of its sets. */
function satisfied(flat: Int32Array, present: Uint32Array): boolean {
  let at = 1;
  for (let option = flat[0] ?? 0; option > 0; option--) {
    let sets = flat[at++] ?? 0;
    let allSets = true;
    for (; sets > 0; sets--) {
      const count = flat[at++] ?? 0;
      const end = at + count;
      if (allSets) {
        let any = false;
        for (let i = at; i < end && !any; i++) any = has(present, flat[i] ?? 0);
        allSets = any;
      }
      at = end;
    }
    if (allSets) return true;
  }
  return false;
}

/** Literals present in any of `parts`: for "can any part match" before each part is tried. */
export function presenceOfAny(parts: readonly LiteralPresence[]): LiteralPresence {
  const bits = new Uint32Array(parts[0]?.bits.length ?? 0);
  for (const part of parts) for (let i = 0; i < bits.length; i++) bits[i] = (bits[i] ?? 0) | (part.bits[i] ?? 0);
  return { bits };
}
