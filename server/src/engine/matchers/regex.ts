import { fieldText } from '../frontmatter';
import { sectionsOf } from '../instructions/roles';
import { polarityAt, type Polarity } from '../polarity';
import type { RegexMatcher } from '../rule-types';
import type { CodeUnit, FileModel } from '../skill-model';
import { globalRegex, mayMatch, satisfies, testRegex } from './regex-util';
import { overUnits, type MemoEntry, type ResultMemo } from '../result-memo';
import type { MatchContext, RawFinding } from './types';
import { presenceOfAny, type LiteralPresence } from '../literal-options';
import type { RegexLiteralFilter } from './literal-filter';

interface Haystack {
  readonly file: FileModel;
  /** Text to search; offsets in it are `base` + index. */
  readonly text: string;
  readonly base: number;
  /**
   * Where `text` starts in its file, for reading the file line at a match (`unlessLine`), when
   * `base` is not that: offsets relative to a code unit are kept, but the line is the file's.
   */
  readonly lineBase?: number;
  /** The matcher's `requires` was already tested on the whole text this haystack is part of. */
  readonly requiresChecked?: true;
  /** The rule literals `text` holds, kept on haystacks that many matchers search in a scan, with the filter that found them. */
  presence?: { readonly filter: RegexLiteralFilter; readonly found: LiteralPresence };
}

/**
 * Masked Markdown is searched one section at a time (from a heading to the next, and the part
 * before the first), so that after an edit only the edited section is searched again. A match
 * never spans a heading line; `requires` still applies to the whole file, and the cap on
 * matches to each section.
 */
const SECTIONED_TARGETS: ReadonlySet<string> = new Set(['markdown:prose', 'markdown:instructions']);

/** Caps the matches one matcher reports per text, so a file of 100k repeats stays cheap. */
const MAX_MATCHES_PER_TEXT = 50;

export function runRegexMatcher(matcher: RegexMatcher, context: MatchContext): RawFinding[] {
  const memo = context.memo;
  if (!memo) return searchHaystacks(matcher, haystacks(matcher, context), context);
  // Between scans, results are kept per code unit (offsets relative to the unit, so a unit that
  // only moved is not searched again) and per file for every other target.
  const id = memo.idOf(matcher);
  const findings: RawFinding[] = [];
  if (matcher.target.startsWith('code:')) {
    // `unlessLine` reads the whole file line, which a unit inside a line does not determine.
    if (matcher.unlessLine !== undefined) return unitsWithLineFilter(matcher, context, memo, id);
    const units = context.model.units;
    const language = matcher.target.slice('code:'.length);
    const search = (index: number): readonly RawFinding[] | undefined => {
      const unit = units[index] as CodeUnit;
      if (language !== 'any' && unit.language !== language) return NO_FINDINGS;
      if (matcher.origins && !matcher.origins.includes(unit.origin)) return NO_FINDINGS;
      if (Date.now() > context.deadline) return undefined;
      const entry = memo.unit(unit);
      let relative = entry.results.get(id) as readonly RawFinding[] | undefined;
      if (!relative) {
        relative = searchHaystacks(matcher, [relativeUnitHaystack(unit)], context);
        if (Date.now() > context.deadline) return undefined;
        entry.results.set(id, relative);
      }
      return relative;
    };
    return overUnits(memo, matcher, units, search, (index, found): RawFinding => {
      const unit = units[index] as CodeUnit;
      return { ...found, file: unit.file.path, start: unit.start + found.start, end: unit.start + found.end };
    });
  }
  for (const file of context.model.files) {
    if (Date.now() > context.deadline) break;
    const entry = memo.file(file);
    let found = entry.results.get(id) as readonly RawFinding[] | undefined;
    if (!found) {
      found = SECTIONED_TARGETS.has(matcher.target) && file.markdown ? searchSectionsKept(matcher, context, file, memo, id) : searchHaystacks(matcher, haystacks(matcher, context, file), context);
      if (Date.now() <= context.deadline) entry.results.set(id, found);
    }
    findings.push(...found);
  }
  return findings;
}

const NO_FINDINGS: readonly RawFinding[] = [];

/**
 * Whether the unit starts at the start of a line of its file and ends at the end of one (line
 * breaks as the file's line index counts them: LF, CRLF, lone CR), so that each of its lines is a
 * whole line of the file. A fence's text has its lone CRs turned into LFs, which ends its lines
 * at the same places.
 */
function spansWholeLines(unit: CodeUnit): boolean {
  const text = unit.file.text;
  const before = unit.start === 0 ? '\n' : text[unit.start - 1];
  // Between a CR and its LF the unit would start with the end of the line before it.
  const startsLine = before === '\n' || (before === '\r' && text[unit.start] !== '\n');
  // A unit that ends with its last line's break (a here-document's body, a fence's content) ends a line too.
  const last = unit.end > unit.start ? text[unit.end - 1] : undefined;
  const after = unit.end >= text.length ? '\n' : text[unit.end];
  return startsLine && (after === '\n' || after === '\r' || last === '\n' || last === '\r');
}

/**
 * Code units for a matcher whose `unlessLine` reads the file line. A unit made of whole lines (a
 * script, a fence, a here-document) holds every line a match can read, so what it finds depends
 * on its text alone and is kept between scans like any unit's; a unit inside a line (inline code,
 * a command in a config value) is searched again each time.
 */
function unitsWithLineFilter(matcher: RegexMatcher, context: MatchContext, memo: ResultMemo, id: number): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const unit of codeUnits(matcher, context)) {
    if (Date.now() > context.deadline) break;
    if (!spansWholeLines(unit)) {
      findings.push(...searchHaystacks(matcher, [unitHaystack(unit)], context));
      continue;
    }
    const entry = memo.unit(unit);
    let relative = entry.results.get(id) as readonly RawFinding[] | undefined;
    if (!relative) {
      relative = searchHaystacks(matcher, [relativeUnitHaystack(unit)], context);
      if (Date.now() <= context.deadline) entry.results.set(id, relative);
    }
    for (const found of relative) findings.push({ ...found, file: unit.file.path, start: unit.start + found.start, end: unit.start + found.end });
  }
  return findings;
}

/**
 * The masked text a sectioned target searches in `file`, or undefined when the whole file lacks
 * the pattern's literals or its `requires` (one look at the file spares looking at each section).
 */
function sectionedMask(matcher: RegexMatcher, context: MatchContext, file: FileModel): { mode: 'prose' | 'instructions'; masked: string } | undefined {
  const mode = matcher.target === 'markdown:prose' ? 'prose' : 'instructions';
  const sectioned = sectionedFile(context, file, mode);
  const masked = sectioned.masked;
  // A match lies inside one section, so a file none of whose sections holds the pattern's
  // literals cannot match: the union of the sections' literals, found once per scan, says so
  // without a pass over the whole mask or a look at each section.
  if (!groupPasses(sectioned, matcher, context)) return undefined;
  if (!(context.literalFilter?.subsumesPrefilter(matcher) === true) && !mayMatch(matcher.pattern, masked, matcher.flags)) return undefined;
  if (matcher.requires !== undefined && !testRegex(matcher.requires, masked, matcher.flags ?? '')) return undefined;
  return { mode, masked };
}

/** The sections of masked Markdown as haystacks, in file order, empty ones left out. */
function sectionHaystacks(file: FileModel, masked: string): Haystack[] {
  const stacks: Haystack[] = [];
  const add = (start: number, end: number): void => {
    if (end > start) stacks.push({ file, text: masked.slice(start, end), base: start, requiresChecked: true });
  };
  const sections = sectionsOf(file);
  add(0, sections[0]?.start ?? masked.length);
  for (const section of sections) add(section.start, Math.min(section.end, masked.length));
  return stacks;
}

/** A section's kept results: its memo entry, found by what its findings depend on. */
interface KeptSection {
  readonly haystack: Haystack;
  readonly entry: MemoEntry;
}

/**
 * The sections of a changed Markdown file, each with a memo entry keyed by its text as written
 * and as masked (`unlessLine` reads the former) and by its heading's polarity, which grades what
 * is found in it. Built once per scan and file.
 */
function keptSections(context: MatchContext, file: FileModel, mode: 'prose' | 'instructions', memo: ResultMemo): readonly KeptSection[] {
  return context.cache.memo(`regex-sections\u0000${mode}\u0000${file.path}`, () => {
    const polarity = (offset: number): string => sectionsOf(file).find((section) => offset >= section.start && offset < section.end)?.polarity ?? '';
    return sectionHaystacks(file, context.cache.masked(file, mode)).map((haystack) => ({
      haystack,
      entry: memo.keyed(`regex-section\u0000${mode}\u0000${polarity(haystack.base)}\u0000${file.text.slice(haystack.base, haystack.base + haystack.text.length)}\u0001${haystack.text}`),
    }));
  });
}

/** A changed Markdown file searched section by section, reusing the results of unchanged sections. */
function searchSectionsKept(matcher: RegexMatcher, context: MatchContext, file: FileModel, memo: ResultMemo, id: number): RawFinding[] {
  const searched = sectionedMask(matcher, context, file);
  if (!searched) return [];
  const findings: RawFinding[] = [];
  for (const { haystack, entry } of keptSections(context, file, searched.mode, memo)) {
    let relative = entry.results.get(id) as readonly RawFinding[] | undefined;
    if (!relative) {
      if (Date.now() > context.deadline) break;
      relative = searchHaystacks(matcher, [haystack], context).map((found) => ({ ...found, start: found.start - haystack.base, end: found.end - haystack.base }));
      if (Date.now() <= context.deadline) entry.results.set(id, relative);
    }
    for (const found of relative) findings.push({ ...found, file: file.path, start: haystack.base + found.start, end: haystack.base + found.end });
  }
  return findings;
}

function searchHaystacks(matcher: RegexMatcher, stacks: Iterable<Haystack>, context: MatchContext): RawFinding[] {
  const findings: RawFinding[] = [];
  const filter = context.literalFilter;
  const gate = filter?.gateOf(matcher);
  const ownPrefilter = filter?.subsumesPrefilter(matcher) !== true;
  for (const haystack of stacks) {
    if (filter && gate !== undefined && !filter.passes(gate, presenceOf(haystack, filter, context))) continue;
    // The clock is read only for texts the literals let through: reading it for each of the
    // millions a corpus scan rules out cost more than the gate itself.
    if (Date.now() > context.deadline) break;
    if (ownPrefilter && !mayMatch(matcher.pattern, haystack.text, matcher.flags)) continue;
    if (matcher.requires !== undefined && !haystack.requiresChecked && !testRegex(matcher.requires, haystack.text, matcher.flags ?? '')) continue;
    const regex = globalRegex(matcher.pattern, matcher.flags);
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(haystack.text)) !== null) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const groups = match.groups ?? {};
      if (!whereHolds(matcher, groups)) continue;
      const span = match.indices?.groups?.finding ?? [match.index, match.index + match[0].length];
      const start = haystack.base + span[0];
      const end = haystack.base + span[1];
      if (matcher.unlessLine !== undefined) {
        const lines = haystack.file.lines;
        const line = lines.lineText(lines.lineOf((haystack.lineBase ?? haystack.base) + span[0]));
        if (testRegex(matcher.unlessLine, line, matcher.flags ?? '')) continue;
      }
      const captures: Record<string, string> = { match: match[0] };
      for (const [name, value] of Object.entries(groups)) if (value !== undefined) captures[name] = value;
      const polarity = matcher.polarity ? polarityOf(haystack, start) : 'affirmative';
      const lowered = polarity === 'affirmative' ? undefined : matcher.polarity?.[polarity];
      findings.push({ file: haystack.file.path, start, end, captures, ...(lowered ? { severity: lowered } : {}) });
      if (++count >= MAX_MATCHES_PER_TEXT) break;
    }
  }
  return findings;
}

/** The rule literals a haystack's text holds: kept on the haystack, or found once per scan by text. */
function presenceOf(haystack: Haystack, filter: RegexLiteralFilter, context: MatchContext): LiteralPresence {
  if (haystack.presence?.filter !== filter) haystack.presence = { filter, found: filter.presenceOf(haystack.text, context.memo?.literalPresence ?? context.cache.literalPresence) };
  return haystack.presence.found;
}

/** A Markdown file's mask for a sectioned target, cut into its sections once per scan. */
interface SectionedFile extends HaystackGroup {
  readonly masked: string;
}

const SECTIONED_KEYS = { prose: 'regex-sections:prose', instructions: 'regex-sections:instructions' } as const;

function sectionedFile(context: MatchContext, file: FileModel, mode: 'prose' | 'instructions'): SectionedFile {
  return context.cache.perFile(file, SECTIONED_KEYS[mode], () => {
    const masked = context.cache.masked(file, mode);
    return { masked, stacks: sectionHaystacks(file, masked) };
  });
}

/**
 * A negation or quotation in the sentence wins; otherwise a Markdown section labelled as
 * prohibitions or attack examples ("Prohibited actions (DO NOT)", "Red flags") gives its
 * polarity to everything under it, subsections included.
 */
function polarityOf(haystack: Haystack, start: number): Polarity {
  const local = polarityAt(haystack.text, start - haystack.base);
  if (local !== 'affirmative' || !haystack.file.markdown) return local;
  const section = sectionsOf(haystack.file).find((candidate) => start >= candidate.start && start < candidate.end);
  return section?.polarity ?? 'affirmative';
}

function whereHolds(matcher: RegexMatcher, groups: Record<string, string | undefined>): boolean {
  if (!matcher.where) return true;
  for (const [name, constraint] of Object.entries(matcher.where)) {
    if (!satisfies(groups[name] ?? '', constraint)) return false;
  }
  return true;
}

function* codeUnits(matcher: RegexMatcher, context: MatchContext): Generator<CodeUnit> {
  const language = matcher.target.slice('code:'.length);
  for (const unit of context.model.units) {
    if (language !== 'any' && unit.language !== language) continue;
    if (matcher.origins && !matcher.origins.includes(unit.origin)) continue;
    yield unit;
  }
}

/** The texts the matcher searches, in the whole skill or (`only`) in one of its files. */
function* haystacks(matcher: RegexMatcher, context: MatchContext, only?: FileModel): Generator<Haystack> {
  const { model } = context;
  const target = matcher.target;
  const files = only ? [only] : model.files;
  if (target.startsWith('code:')) {
    // Most code matchers name literals that no unit of a skill holds: one look at the union of
    // the units' literals spares a look at each unit, for each such matcher.
    if (!groupPasses(unitGroup(context), matcher, context)) return;
    for (const unit of codeUnits(matcher, context)) if (!only || unit.file === only) yield unitHaystack(unit);
    return;
  }
  if (target === 'file:any') {
    if (only) {
      yield wholeFileHaystack(context, only);
      return;
    }
    const group = fileGroup(context);
    if (groupPasses(group, matcher, context)) yield* group.stacks;
    return;
  }
  if (target.startsWith('markdown:')) {
    for (const file of files) {
      if (!file.markdown) continue;
      switch (target) {
        case 'markdown:prose':
        case 'markdown:instructions': {
          const searched = sectionedMask(matcher, context, file);
          if (searched) yield* sectionedFile(context, file, searched.mode).stacks;
          break;
        }
        case 'markdown:html-comment':
        case 'markdown:inline-code': {
          const group = spanGroup(context, file, target);
          if (groupPasses(group, matcher, context)) yield* group.stacks;
          break;
        }
        case 'markdown:link-url':
          for (const link of file.markdown.links) yield { file, text: link.url, base: link.urlStart };
          break;
        default:
          break;
      }
    }
    return;
  }
  const skillMd = model.skillMd;
  const frontmatter = skillMd?.frontmatter;
  if (!skillMd || !frontmatter?.present || (only && only !== skillMd)) return;
  if (target === 'frontmatter') {
    yield { file: skillMd, text: skillMd.text.slice(frontmatter.contentStart, frontmatter.contentEnd), base: frontmatter.contentStart };
    return;
  }
  const field = frontmatter.fields.get(target.slice('frontmatter:'.length));
  if (!field) return;
  const source = skillMd.text.slice(field.valueStart, field.valueEnd);
  // Plain scalars are searched as written so offsets stay exact; other shapes by their value. A
  // block scalar (`>-`, `|`) is one text whose line breaks are spaces to the reader and to the
  // client that loads it: read so, at the same length.
  const written = typeof field.value === 'string' || source.length > 0 ? source : fieldText(field);
  const text = /^[>|]/.test(written) ? written.replace(/\r?\n/g, (br) => ' '.repeat(br.length)) : written;
  yield { file: skillMd, text, base: field.valueStart };
}

/**
 * Texts that many matchers of a scan search, cut once per scan (looking up a text's literals
 * hashes the string, once per copy), with the literals any of them holds, found on first use.
 */
interface HaystackGroup {
  readonly stacks: readonly Haystack[];
  union?: { readonly filter: RegexLiteralFilter; readonly found: LiteralPresence };
}

/**
 * False when no text of the group holds the literals the matcher needs, so that none can match:
 * most matchers of a kind of text are ruled out for all of a skill's or file's texts at once.
 */
function groupPasses(group: HaystackGroup, matcher: RegexMatcher, context: MatchContext): boolean {
  const filter = context.literalFilter;
  const gate = filter?.gateOf(matcher);
  if (!filter || gate === undefined) return true;
  if (group.union?.filter !== filter) group.union = { filter, found: presenceOfAny(group.stacks.map((stack) => presenceOf(stack, filter, context))) };
  return filter.passes(gate, group.union.found);
}

/** Every code unit of the skill: a superset of those any code matcher searches, so its union gates them all. */
function unitGroup(context: MatchContext): HaystackGroup {
  return context.cache.memo('regex-haystacks:units', () => ({ stacks: context.model.units.map(unitHaystack) }));
}

function fileGroup(context: MatchContext): HaystackGroup {
  return context.cache.memo('regex-haystacks:files', () => ({ stacks: context.model.files.map((file) => wholeFileHaystack(context, file)) }));
}

function wholeFileHaystack(context: MatchContext, file: FileModel): Haystack {
  return context.cache.perFile(file, 'regex-haystacks:file', (): Haystack => ({ file, text: file.text, base: 0 }));
}

const SPAN_KEYS = { 'markdown:html-comment': 'regex-haystacks:comments', 'markdown:inline-code': 'regex-haystacks:inline' } as const;

/** A Markdown file's HTML comments or inline code spans, each searched as its own text. */
function spanGroup(context: MatchContext, file: FileModel, target: keyof typeof SPAN_KEYS): HaystackGroup {
  return context.cache.perFile(file, SPAN_KEYS[target], (): HaystackGroup => {
    const spans = target === 'markdown:html-comment' ? (file.markdown?.comments ?? []) : (file.markdown?.inlineCode ?? []);
    return { stacks: spans.map((span): Haystack => ({ file, text: file.text.slice(span.contentStart, span.contentEnd), base: span.contentStart })) };
  });
}

/** One haystack object per unit (and one relative to it), so its literals are looked up once per scan. */
const unitHaystacks = new WeakMap<CodeUnit, Haystack>();
const relativeUnitHaystacks = new WeakMap<CodeUnit, Haystack>();

function unitHaystack(unit: CodeUnit): Haystack {
  let haystack = unitHaystacks.get(unit);
  if (!haystack) {
    haystack = { file: unit.file, text: unit.text, base: unit.start };
    unitHaystacks.set(unit, haystack);
  }
  return haystack;
}

function relativeUnitHaystack(unit: CodeUnit): Haystack {
  let haystack = relativeUnitHaystacks.get(unit);
  if (!haystack) {
    haystack = { file: unit.file, text: unit.text, base: 0, lineBase: unit.start };
    relativeUnitHaystacks.set(unit, haystack);
  }
  return haystack;
}
