import type { Tree } from 'web-tree-sitter';
import type { MatchContext, RawFinding } from './matchers/types';
import type { PresenceStore } from './matchers/literal-filter';
import type { LiteralPresence } from './literal-options';

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
/** Fragments whose reports are kept, and the longest fragment (with its options) kept at all. */
const MAX_FRAGMENTS = 256;
const MAX_FRAGMENT_KEY = 64 * 1024;

export class ResultMemo {
  private readonly entries = new Map<string, MemoEntry>();
  private readonly ids = new WeakMap<object, number>();
  // Per kind of entry: the same unit object has a text-only entry and an entry in its file. A unit
  // of an unchanged file is the same object from scan to scan, so its entry is found without
  // building (and hashing) a key that holds its whole text.
  private readonly unitEntries = new WeakMap<object, MemoEntry>();
  private readonly placedEntries = new WeakMap<object, MemoEntry>();
  private readonly fileEntries = new WeakMap<object, MemoEntry>();
  /** Each file's text and entry at its last look-up: a re-read file with the same text skips its key. */
  private readonly fileByPath = new Map<string, { readonly text: string; readonly entry: MemoEntry }>();
  /** The tree last parsed at each place code is edited (a script file), to re-parse it incrementally. */
  private readonly lastParsed = new Map<string, { readonly text: string; readonly entry: MemoEntry }>();
  /** Each script's placed entry, and the one of its text before, for results carried across an edit. */
  private readonly placements = new Map<string, { readonly current: Placement; readonly previous?: Placement }>();
  private scan = 0;
  private nextId = 0;
  private nextEntryId = 0;
  private bytes = 0;
  /** Signature of a sequence of units → its number; numbers are never reused, even after a clear. */
  private readonly unitSetIds = new Map<string, number>();
  private nextUnitSetId = 0;
  private thisScanUnitSet: ScanUnitSet | undefined;
  /** The per-unit signatures of recent unit sequences, by number, to align a new sequence with. */
  private readonly setSignatures = new Map<number, readonly string[]>();
  /** Matcher id → its results over the unit sequence numbered `setId`. */
  private readonly acrossUnits = new Map<number, AcrossUnits>();
  /**
   * The rule literals found in each text searched (Markdown sections, comments, code units): after
   * an edit, only the edited section's text is new, and finding the literals of every other
   * section again was about a twentieth of a keystroke in a long SKILL.md.
   */
  readonly literalPresence = new KeptPresence();
  /** Reports of decoded or rewritten fragments (hidden payloads), by what they depend on; least recently used first. */
  private readonly fragments = new Map<string, unknown>();

  /**
   * The report of a fragment scan (the text behind a base64 literal, a command string …), kept
   * while the same fragment keeps coming back: typing elsewhere in a skill would otherwise scan
   * every fragment of it again with every rule. `key` names the fragment and the scan options;
   * a report `keep` rejects (a partial one, cut short by the time budget) is not kept.
   */
  fragmentReport<T>(key: string, compute: () => T, keep: (report: T) => boolean): T {
    const kept = this.fragments.get(key) as T | undefined;
    if (kept !== undefined) {
      this.fragments.delete(key);
      this.fragments.set(key, kept);
      return kept;
    }
    const report = compute();
    if (keep(report) && key.length <= MAX_FRAGMENT_KEY) {
      this.fragments.set(key, report);
      if (this.fragments.size > MAX_FRAGMENTS) {
        const oldest = this.fragments.keys().next();
        if (!oldest.done) this.fragments.delete(oldest.value);
      }
    }
    return report;
  }

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
    return this.viaObject(this.unitEntries, unit, () => this.entry(`u\u0000${unit.language}\u0000${unit.text}`, unit.text.length));
  }

  /** Entry for a whole file: depends on its path (which decides its kind) and text. */
  file(file: { readonly path: string; readonly text: string }): MemoEntry {
    return this.viaObject(this.fileEntries, file, () => {
      const last = this.fileByPath.get(file.path);
      if (last && !last.entry.evicted && last.text === file.text) {
        last.entry.lastUsed = this.scan;
        return last.entry;
      }
      const entry = this.entry(`f\u0000${file.path}\u0000${file.text}`, file.text.length);
      this.fileByPath.set(file.path, { text: file.text, entry });
      return entry;
    });
  }

  /**
   * Entry for a code unit in its file: for results that name the file (locations), which a unit
   * with the same text in another file must not share. Offsets may differ: see {@link perUnit}.
   */
  placedUnit(unit: PlacedUnit): MemoEntry {
    const entry = this.viaObject(this.placedEntries, unit, () =>
      this.entry(`p\u0000${unit.file.path}\u0000${unit.language}\u0000${unit.text}`, unit.text.length),
    );
    // Recorded on every look-up, not only when the entry is found afresh: a script typed back to
    // an earlier text is the same unit object as then, and its entry comes from that object.
    if (unit.origin === 'script') {
      const place = `${unit.file.path}\u0000${unit.language}`;
      const last = this.placements.get(place);
      if (last?.current.text !== unit.text) this.placements.set(place, { current: { text: unit.text, entry }, ...(last ? { previous: last.current } : {}) });
    }
    return entry;
  }

  /**
   * The entry of the text a script had before its current one (the keystroke before, in the
   * editor), while the memo still holds it; undefined for other units.
   */
  previousPlacement(unit: PlacedUnit): Placement | undefined {
    if (unit.origin !== 'script') return undefined;
    const placed = this.placements.get(`${unit.file.path}\u0000${unit.language}`);
    if (placed?.current.text !== unit.text || !placed.previous || placed.previous.entry.evicted) return undefined;
    return placed.previous;
  }

  /**
   * Entry for a result whose inputs the caller has written into `key` (a Markdown section with
   * its structure and the skill-wide facts its grading reads).
   */
  keyed(key: string): MemoEntry {
    return this.entry(`k\u0000${key}`, key.length);
  }

  /**
   * A number for this exact sequence of code units (each one's language, text, origin and file),
   * so a matcher that already searched the same sequence can skip it as a whole: an edit in
   * SKILL.md's prose keeps every unit, and most matchers find nothing in any of them.
   */
  unitSetId(units: readonly SetUnit[]): number {
    if (this.thisScanUnitSet?.units === units) return this.thisScanUnitSet.id;
    const signatures = units.map((unit) => `${this.unit(unit).id}\u0000${unit.origin}\u0000${unit.file.path}`);
    const signature = signatures.join('\u0001');
    let id = this.unitSetIds.get(signature);
    if (id === undefined) {
      // Typing inside a fence makes a new sequence per keystroke; forgetting old numbers only costs reuse.
      if (this.unitSetIds.size >= MAX_UNIT_SETS) this.unitSetIds.clear();
      id = this.nextUnitSetId++;
      this.unitSetIds.set(signature, id);
    }
    this.setSignatures.delete(id);
    this.setSignatures.set(id, signatures);
    if (this.setSignatures.size > MAX_ALIGNABLE_SETS) this.setSignatures.delete(this.setSignatures.keys().next().value as number);
    this.thisScanUnitSet = { units, id, signatures, alignments: new Map() };
    return id;
  }

  /**
   * For each unit of this scan's sequence, the index of a unit with the same signature (text,
   * language, origin and file) in the earlier sequence numbered `from`, or -1; undefined when that
   * sequence is no longer remembered. Computed once per scan, for every matcher to share.
   */
  alignedWith(from: number): Int32Array | undefined {
    const current = this.thisScanUnitSet;
    if (!current) return undefined;
    let alignment = current.alignments.get(from);
    if (alignment) return alignment;
    const earlier = this.setSignatures.get(from);
    if (!earlier) return undefined;
    const indexOf = new Map<string, number>();
    for (let index = earlier.length - 1; index >= 0; index--) indexOf.set(earlier[index] as string, index);
    alignment = Int32Array.from(current.signatures, (signature) => indexOf.get(signature) ?? -1);
    current.alignments.set(from, alignment);
    return alignment;
  }

  /** A matcher's kept results over a unit sequence (see {@link overUnits}). */
  keptAcrossUnits(matcherId: number): AcrossUnits | undefined {
    return this.acrossUnits.get(matcherId);
  }

  keepAcrossUnits(matcherId: number, kept: AcrossUnits): void {
    this.acrossUnits.set(matcherId, kept);
  }

  /** The tree last parsed at `place`, with the text it was parsed from, while the memo still has it. */
  previousParse(place: string): { readonly text: string; readonly tree: Tree } | undefined {
    const last = this.lastParsed.get(place);
    return last?.entry.tree ? { text: last.text, tree: last.entry.tree } : undefined;
  }

  /** Records that `entry` now holds the tree of `text`, parsed at `place`. */
  parsedAt(place: string, text: string, entry: MemoEntry): void {
    this.lastParsed.set(place, { text, entry });
  }

  /** Drops the least recently used entries until the memo fits its budget again; call between scans. */
  trim(): void {
    this.thisScanUnitSet = undefined;
    this.literalPresence.nextScan();
    this.scan++;
    let treeBytes = 0;
    for (const entry of this.entries.values()) if (entry.tree) treeBytes += entry.bytes;
    if (this.bytes <= this.maxBytes && treeBytes <= this.maxTreeBytes) return;
    // Least recently used first; the sort is only paid when the memo is over budget.
    const byAge = [...this.entries].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, entry] of byAge) {
      if (this.bytes <= this.maxBytes && treeBytes <= this.maxTreeBytes) break;
      if (entry.tree) {
        entry.tree.delete();
        entry.tree = undefined;
        treeBytes -= entry.bytes;
      }
      if (this.bytes > this.maxBytes) {
        this.entries.delete(key);
        entry.evicted = true;
        this.bytes -= entry.bytes;
      }
    }
    for (const [path, last] of this.fileByPath) if (last.entry.evicted) this.fileByPath.delete(path);
    for (const [place, last] of this.lastParsed) if (!last.entry.tree) this.lastParsed.delete(place);
    for (const [place, placed] of this.placements) if (placed.current.entry.evicted) this.placements.delete(place);
  }

  /** The same unit or file object is asked for by every matcher, and again next scan if unchanged. */
  private viaObject(byOwner: WeakMap<object, MemoEntry>, owner: object, find: () => MemoEntry): MemoEntry {
    let entry = byOwner.get(owner);
    if (entry && !entry.evicted) {
      entry.lastUsed = this.scan;
      return entry;
    }
    entry = find();
    byOwner.set(owner, entry);
    return entry;
  }

  private entry(key: string, bytes: number): MemoEntry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { id: this.nextEntryId++, bytes, results: new Map(), lastUsed: this.scan, evicted: false };
      this.bytes += bytes;
      this.entries.set(key, entry);
    }
    entry.lastUsed = this.scan;
    return entry;
  }
}

export interface MemoEntry {
  /** Unique per entry, never reused. */
  readonly id: number;
  readonly bytes: number;
  /** The scan that last used it, for least-recently-used eviction. */
  lastUsed: number;
  /** Dropped from the memo: objects that still point to it must look it up afresh. */
  evicted: boolean;
  /** Parse tree of a code unit; owned by the memo. */
  tree?: Tree;
  /** Matcher id → that matcher's results for this content. */
  readonly results: Map<number, unknown>;
}

/** Characters of text whose literals one scan keeps for the next (each text is kept alive with them). */
const MAX_PRESENCE_CHARS = 4 * 1024 * 1024;

/**
 * Literals found per text, for the texts of the latest scan and of the one before it: a text
 * unchanged since the scan before is found there and kept for the next. Bounded by the characters
 * of the texts one scan keeps; past that, texts are looked at again next time.
 */
export class KeptPresence implements PresenceStore {
  private current = new Map<string, LiteralPresence>();
  private previous = new Map<string, LiteralPresence>();
  private chars = 0;

  get(text: string): LiteralPresence | undefined {
    const found = this.current.get(text);
    if (found !== undefined) return found;
    const earlier = this.previous.get(text);
    if (earlier !== undefined) this.set(text, earlier);
    return earlier;
  }

  set(text: string, presence: LiteralPresence): void {
    if (this.chars + text.length > MAX_PRESENCE_CHARS || this.current.has(text)) return;
    this.current.set(text, presence);
    this.chars += text.length;
  }

  /** Between scans: what this scan did not look up again is forgotten. */
  nextScan(): void {
    this.previous = this.current;
    this.current = new Map();
    this.chars = 0;
  }

  get size(): number {
    return this.current.size;
  }
}

/** Distinct unit sequences remembered before their numbering starts afresh. */
const MAX_UNIT_SETS = 256;
/** Unit sequences a new one can be aligned with: matchers keep results for their latest only. */
const MAX_ALIGNABLE_SETS = 8;

interface ScanUnitSet {
  readonly units: readonly SetUnit[];
  readonly id: number;
  readonly signatures: readonly string[];
  /** Earlier sequence number → {@link ResultMemo.alignedWith}'s answer. */
  readonly alignments: Map<number, Int32Array>;
}

/** What {@link ResultMemo.unitSetId} reads of a code unit. */
interface SetUnit {
  readonly language: string;
  readonly text: string;
  readonly origin: string;
  readonly file: { readonly path: string };
}

/** A matcher's findings over a unit sequence: per unit index, offsets relative to the unit. */
export interface AcrossUnits {
  readonly setId: number;
  readonly found: readonly (readonly [unitIndex: number, relative: readonly UnitRelative[]])[];
}

/** A finding with offsets relative to its code unit. */
export interface UnitRelative {
  readonly start: number;
  readonly end: number;
}

const NOTHING_FOUND: readonly never[] = [];

/**
 * Runs a matcher over every code unit, reusing its answer for the whole sequence when the scan's
 * units are the same as when it last ran (only moved): then no unit is looked at. Otherwise only
 * the units that sequence did not have are searched. `search` gives one unit's findings relative
 * to the unit, or undefined when the deadline stopped it (a partial answer is not kept); `place`
 * turns one into a finding in the unit's file. A unit's findings must depend only on its text,
 * language, origin and file.
 */
export function overUnits<T extends UnitRelative, R>(
  memo: ResultMemo | undefined,
  matcher: object,
  units: readonly (SetUnit & { readonly start: number })[],
  search: (index: number) => readonly T[] | undefined,
  place: (index: number, found: T) => R,
): R[] {
  const results: R[] = [];
  const setId = memo?.unitSetId(units);
  const matcherId = memo?.idOf(matcher) ?? -1;
  const kept = memo?.keptAcrossUnits(matcherId);
  if (kept && kept.setId === setId) {
    for (const [index, relative] of kept.found) for (const found of relative) results.push(place(index, found as T));
    return results;
  }
  // Another sequence (a fence or script was edited, added or removed): a unit with the same text,
  // origin and file as one of the sequence this matcher last searched gets that unit's answer.
  const aligned = kept && memo ? memo.alignedWith(kept.setId) : undefined;
  const earlier: (readonly T[] | undefined)[] = [];
  if (aligned && kept) for (const [index, relative] of kept.found) earlier[index] = relative as readonly T[];
  const found: (readonly [number, readonly T[]])[] = [];
  let complete = true;
  for (let index = 0; index < units.length; index++) {
    const from = aligned ? (aligned[index] as number) : -1;
    const relative = from >= 0 ? (earlier[from] ?? NOTHING_FOUND) : search(index);
    if (relative === undefined) {
      complete = false;
      break;
    }
    if (relative.length === 0) continue;
    found.push([index, relative]);
    for (const one of relative) results.push(place(index, one));
  }
  if (memo && setId !== undefined && complete) memo.keepAcrossUnits(matcherId, { setId, found });
  return results;
}

/** What {@link perUnit} needs of a code unit. */
interface PlacedUnit {
  readonly language: string;
  readonly text: string;
  readonly start: number;
  readonly file: { readonly path: string };
  /** Only a script's results can be carried across an edit (see {@link AcrossEdit}). */
  readonly origin?: string;
}

/** A script's text at one scan and the memo entry of its results. */
export interface Placement {
  readonly text: string;
  readonly entry: MemoEntry;
}

/**
 * One change between two texts of a unit, in file offsets: `[start, oldEnd)` of the old text
 * became `[start, newEnd)` of the new one; everything before and after is the same.
 */
export interface TextEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/**
 * The single change that turns `before` into `after`: the text both share at the start and at the
 * end, and what lies between (empty on both sides when the texts are equal).
 */
export function textEdit(before: string, after: string): TextEdit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/**
 * How a result computed for a script's previous text can serve its current one: `edit` says
 * whether the change between them leaves the result as it was apart from offsets (the edit),
 * and `carry` moves the result's offsets across it, or gives undefined when it cannot (a
 * location that spans the change, whose text changed with it).
 */
export interface AcrossEdit<T> {
  readonly edit: (previousText: string) => TextEdit | undefined;
  readonly carry: (value: T, edit: TextEdit) => T | undefined;
}

/** A kept result, the unit offset it was computed at, and the skill-level facts it assumed. */
interface Placed<T> {
  readonly start: number;
  readonly variant: string;
  readonly value: T;
}

/**
 * A result computed from one code unit alone (a script file, a code fence), kept between scans:
 * checks that walk parse trees use it so that an edit in SKILL.md re-walks neither the bundled
 * scripts nor the fences it did not touch. The result may hold offsets in the unit's file: when
 * the unit has moved since (text inserted above a fence), `move` shifts them by the distance.
 * `key` names the result (one object per check); `variant` encodes whatever else outside the unit
 * the result depends on (a kept result of another variant is recomputed); a result computed after
 * `deadline` is partial and is not kept.
 */
export function perUnit<T>(
  memo: ResultMemo | undefined,
  deadline: number,
  unit: PlacedUnit,
  key: object,
  compute: () => T,
  move: (value: T, by: number) => T,
  variant = '',
  acrossEdit?: AcrossEdit<T>,
): T {
  if (!memo) return compute();
  const entry = memo.placedUnit(unit);
  const id = memo.idOf(key);
  const kept = entry.results.get(id) as Placed<T> | undefined;
  if (kept?.variant === variant) return kept.start === unit.start ? kept.value : move(kept.value, unit.start - kept.start);
  const carried = acrossEdit ? carriedAcrossEdit(memo, unit, key, variant, acrossEdit) : undefined;
  if (carried !== undefined) {
    entry.results.set(id, { start: unit.start, variant, value: carried } satisfies Placed<T>);
    return carried;
  }
  const value = compute();
  if (Date.now() <= deadline) entry.results.set(id, { start: unit.start, variant, value } satisfies Placed<T>);
  return value;
}

/**
 * The result `key` kept for the script's previous text (the keystroke before, in the editor), with
 * that text, when it was computed at the unit's present offset and for `variant`.
 */
export function previousResult<T>(memo: ResultMemo, unit: PlacedUnit, key: object, variant = ''): { readonly value: T; readonly text: string } | undefined {
  const previous = memo.previousPlacement(unit);
  const earlier = previous?.entry.results.get(memo.idOf(key)) as Placed<T> | undefined;
  if (!previous || earlier?.variant !== variant || earlier.start !== unit.start) return undefined;
  return { value: earlier.value, text: previous.text };
}

/** The result kept for the script's previous text, carried across the edit when `acrossEdit` allows it. */
function carriedAcrossEdit<T>(memo: ResultMemo, unit: PlacedUnit, key: object, variant: string, acrossEdit: AcrossEdit<T>): T | undefined {
  const previous = previousResult<T>(memo, unit, key, variant);
  const edit = previous && acrossEdit.edit(previous.text);
  return previous && edit ? acrossEdit.carry(previous.value, edit) : undefined;
}

/**
 * Moves a location across `edit`: one before it stays, one after it shifts by the change in
 * length; undefined for one that overlaps the changed text.
 */
export function acrossTextEdit<T extends { readonly start: number; readonly end: number }>(at: T, edit: TextEdit): T | undefined {
  if (at.end <= edit.start) return at;
  if (at.start < edit.oldEnd) return undefined;
  const by = edit.newEnd - edit.oldEnd;
  return { ...at, start: at.start + by, end: at.end + by };
}

/** Shifts spans computed for a unit that has since moved (findings: {@link keptUnitFindings}, which moves their related locations too). */
export function moveSpans<T extends { readonly start: number; readonly end: number }>(spans: readonly T[], by: number): T[] {
  return spans.map((span) => ({ ...span, start: span.start + by, end: span.end + by }));
}

/** Shifts a location by `by` when it lies in `file`, whose text moved; one in another file did not. */
export function moverIn(file: string, by: number): <T extends { readonly file: string; readonly start: number; readonly end: number }>(at: T) => T {
  return (at) => (at.file === file ? { ...at, start: at.start + by, end: at.end + by } : at);
}

/** A finding a check keeps per unit: offsets only, no fix (a fix's line spans cannot be shifted by an offset). */
export type MovableFinding = Omit<RawFinding, 'fix'>;

/**
 * A check's findings for one code unit, kept between scans and moved with the unit (the finding
 * and its related locations in the unit's file). `key` is stable per use (the check's options
 * object); `variant` encodes whatever outside the unit the findings depend on. `editNotRead`, for
 * a check that never reads some text of a script (comments, say), gives the edit from the
 * script's previous text when it lies in such text: the findings are then carried across it.
 */
export function keptUnitFindings(
  context: Pick<MatchContext, 'memo' | 'deadline'>,
  unit: PlacedUnit,
  key: object,
  variant: string,
  compute: () => MovableFinding[],
  editNotRead?: (previousText: string) => TextEdit | undefined,
): readonly MovableFinding[] {
  const file = unit.file.path;
  const moved = (findings: readonly MovableFinding[], by: number): MovableFinding[] => {
    const move = moverIn(file, by);
    return findings.map((finding) => ({ ...move(finding), ...(finding.related ? { related: finding.related.map((at) => move(at)) } : {}) }));
  };
  return perUnit(context.memo, context.deadline, unit, key, compute, moved, variant, editNotRead && { edit: editNotRead, carry: (findings, edit) => findingsAcrossEdit(findings, file, edit) });
}

/** Findings with every location in `file`, related ones included, moved across `edit`; undefined when one overlaps it. */
function findingsAcrossEdit(findings: readonly MovableFinding[], file: string, edit: TextEdit): MovableFinding[] | undefined {
  const across = <T extends { readonly file: string; readonly start: number; readonly end: number }>(at: T): T | undefined => (at.file === file ? acrossTextEdit(at, edit) : at);
  const moved: MovableFinding[] = [];
  for (const finding of findings) {
    const placed = across(finding);
    if (!placed) return undefined;
    if (!finding.related) {
      moved.push(placed);
      continue;
    }
    const related: NonNullable<MovableFinding['related']>[number][] = [];
    for (const at of finding.related) {
      const relocated = across(at);
      if (!relocated) return undefined;
      related.push(relocated);
    }
    moved.push({ ...placed, related });
  }
  return moved;
}
