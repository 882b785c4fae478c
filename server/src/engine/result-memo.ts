import type { Tree } from 'web-tree-sitter';

/**
 * Results that depend only on one piece of content, kept between scans so that re-checking a skill
 * after an edit redoes only the files and code units whose text changed (the language server scans
 * the whole skill on every edit, because rules are cross-file). Keys are the content itself: a Map
 * hashes a string once, which costs no more than hashing it ourselves, and equal text is equal key.
 *
 * Bounded by the bytes of content it remembers; least recently used entries go first, and their
 * parse trees are freed. Eviction happens only in {@link trim}, between scans, so a tree handed out
 * during a scan stays valid until the scan ends.
 */
export class ResultMemo {
  private readonly entries = new Map<string, MemoEntry>();
  private readonly ids = new WeakMap<object, number>();
  private readonly thisScan = new Map<object, MemoEntry>();
  private nextId = 0;
  private bytes = 0;

  /**
   * @param maxBytes content remembered (results are small next to it)
   * @param maxTreeBytes content whose parse trees are kept: trees live in the wasm heap, which
   *   never shrinks, so this bounds the server's memory after a workspace scan
   */
  constructor(
    private readonly maxBytes: number,
    private readonly maxTreeBytes: number,
  ) {}

  /** A stable small number for a matcher object, to key its results inside an entry. */
  idOf(matcher: object): number {
    let id = this.ids.get(matcher);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(matcher, id);
    }
    return id;
  }

  /** Entry for a code unit: depends on its language and text only (offsets are kept relative). */
  unit(unit: { readonly language: string; readonly text: string }): MemoEntry {
    return this.viaObject(unit, () => this.entry(`u\u0000${unit.language}\u0000${unit.text}`, unit.text.length));
  }

  /** Entry for a whole file: depends on its path (which decides its kind) and text. */
  file(file: { readonly path: string; readonly text: string }): MemoEntry {
    return this.viaObject(file, () => this.entry(`f\u0000${file.path}\u0000${file.text}`, file.text.length));
  }

  /** Drops the least recently used entries until the memo fits its budget again; call between scans. */
  trim(): void {
    this.thisScan.clear();
    let treeBytes = 0;
    for (const entry of this.entries.values()) if (entry.tree) treeBytes += entry.bytes;
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes && treeBytes <= this.maxTreeBytes) break;
      if (entry.tree) {
        entry.tree.delete();
        entry.tree = undefined;
        treeBytes -= entry.bytes;
      }
      if (this.bytes > this.maxBytes) {
        this.entries.delete(key);
        this.bytes -= entry.bytes;
      }
    }
  }

  /** Within a scan the same unit or file object is asked for by every matcher: skip rebuilding its key. */
  private viaObject(owner: object, find: () => MemoEntry): MemoEntry {
    let entry = this.thisScan.get(owner);
    if (!entry) {
      entry = find();
      this.thisScan.set(owner, entry);
    }
    return entry;
  }

  private entry(key: string, bytes: number): MemoEntry {
    let entry = this.entries.get(key);
    if (entry) {
      // Re-inserting moves the entry to the most recently used end of the Map's order.
      this.entries.delete(key);
    } else {
      entry = { bytes, results: new Map() };
      this.bytes += bytes;
    }
    this.entries.set(key, entry);
    return entry;
  }
}

export interface MemoEntry {
  readonly bytes: number;
  /** Parse tree of a code unit; owned by the memo. */
  tree?: Tree;
  /** Matcher id → that matcher's results for this content. */
  readonly results: Map<number, unknown>;
}

/** What {@link perScriptFile} needs of a code unit. */
interface WholeFileUnit {
  readonly origin: string;
  readonly start: number;
  readonly end: number;
  readonly file: { readonly path: string; readonly text: string };
}

/**
 * A result computed from one script file alone, kept between scans when the unit is the whole
 * file (its offsets then never move): checks that walk parse trees use it so that an edit in
 * SKILL.md does not walk every bundled script again. `key` names the result (one object per
 * check); a result computed after `deadline` is partial and is not kept.
 */
export function perScriptFile<T>(memo: ResultMemo | undefined, deadline: number, unit: WholeFileUnit, key: object, compute: () => T): T {
  if (!memo || unit.origin !== 'script' || unit.start !== 0 || unit.end !== unit.file.text.length) return compute();
  const entry = memo.file(unit.file);
  const id = memo.idOf(key);
  if (entry.results.has(id)) return entry.results.get(id) as T;
  const value = compute();
  if (Date.now() <= deadline) entry.results.set(id, value);
  return value;
}
