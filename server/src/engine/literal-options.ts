import { has, LiteralIndex } from './literal-index';

/**
 * Literal options of many patterns over one shared literal index (see `requiredLiteralOptions`):
 * one pass over a text says which literals it holds, and then, per pattern, whether any of its
 * options holds, without scanning the text again.
 */
export class LiteralOptionTable<Key> {
  private readonly ids = new Map<string, number>();
  /**
   * Per key, its options flattened for a loop without allocation: option count, then for each
   * option its set count, then for each set its literal count and ids.
   */
  private readonly flat = new Map<Key, Int32Array>();
  private built: LiteralIndex | undefined;

  /**
   * Records the options of `key`. Keys whose options are unknown, or hold a literal the index
   * cannot take, are left out: `allows` is then always true for them.
   */
  add(key: Key, options: readonly (readonly (readonly string[])[])[] | undefined): void {
    if (!options || options.some((option) => option.some((set) => !set.every(LiteralIndex.isIndexable)))) return;
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
    this.flat.set(key, Int32Array.from(flat));
  }

  /** Whether `key` has options, so `allows` can say no. */
  gates(key: Key): boolean {
    return this.flat.has(key);
  }

  /** The literals of every option added so far, found in one pass over `text`. */
  presentIn(text: string): Uint32Array {
    return this.index().presentIn(text);
  }

  /**
   * False when no option of `key` holds in a text whose `presentIn` is `present`, so its pattern
   * cannot match there. `present` must come from this table after `key` was added.
   */
  allows(key: Key, present: Uint32Array): boolean {
    const flat = this.flat.get(key);
    return flat === undefined || satisfied(flat, present);
  }

  /** Number of literals a rebuild would index; a change tells callers their presence is stale. */
  get literalCount(): number {
    return this.ids.size;
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
    this.built ??= new LiteralIndex([...this.ids.keys()]);
    return this.built;
  }
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
