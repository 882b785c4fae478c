import type { Node, Tree } from 'web-tree-sitter';
import type { TreeLanguage } from '../parsers';
import { treeFor, unitTreeLanguage } from '../matchers/tree-sitter-query';
import type { MatchContext } from '../matchers/types';
import { acrossTextEdit, moverIn, perUnit, previousResult, textEdit, type ResultMemo, type TextEdit } from '../result-memo';
import { serviceLabel, serviceStem, wholeWordsPattern } from '../hosts';
import { nameAndDescription, type CodeUnit, type ScanCache, type SkillModel } from '../skill-model';
import { mergeLabels, Recorder, type BuiltCommand, type CallerCommand, type FileTaints, type FileWrite, type Flow, type SecretBundle, type TaintLabel } from './core';
import { BashWalker } from './bash';
import { AcrossEdit, HelperReuse, type HelperWalk, type HelperWalks } from './helper-replay';
import { JavaScriptWalker } from './javascript';
import { pathMatches } from './invocations';
import { HOOK_INPUT, type PathSource } from './labels';
import { PowerShellWalker } from './powershell';
import { PythonWalker } from './python';

/**
 * The dataflow analysis of a whole skill, computed once per scan and shared by every rule that
 * reports from it (the flows, SKL550's co-occurrence check, the SKILL.md inheritance check).
 *
 * Two passes: every code unit is walked once; then units that mention a file some other unit
 * wrote tainted data into are walked again with that file's taint, so "one script saves the
 * clipboard to cp.txt, another uploads cp.txt" is one flow with both steps as related locations.
 */

export interface UnitAnalysis {
  readonly unit: CodeUnit;
  readonly flows: readonly Flow[];
  /** Shell commands that are exactly the script's own arguments (Python). */
  readonly callerCommands: readonly CallerCommand[];
  /** Commands handed to a shell, with the text the walk worked out (Python, JavaScript). */
  readonly builtCommands: readonly BuiltCommand[];
  readonly writes: readonly FileWrite[];
  readonly bundles: readonly SecretBundle[];
  /** The walks of the unit's helpers, for the walk of the script's next text to reuse (editor only). */
  readonly helperWalks?: HelperWalks;
}

export interface SkillAnalysis {
  readonly units: ReadonlyMap<CodeUnit, UnitAnalysis>;
  readonly flows: readonly Flow[];
  readonly callerCommands: readonly CallerCommand[];
  readonly builtCommands: readonly BuiltCommand[];
  /** Secrets of several services serialised into one value. */
  readonly bundles: readonly SecretBundle[];
}

const analyses = new WeakMap<ScanCache, SkillAnalysis>();
const MAX_UNIT_LENGTH = 1 << 20;
const MAX_SECOND_PASS_UNITS = 100;

export function analyseSkill(context: MatchContext): SkillAnalysis {
  const cached = analyses.get(context.cache);
  if (cached) return cached;
  const units = new Map<CodeUnit, UnitAnalysis>();
  const none: FileTaints = new Map();
  for (const unit of context.model.units) {
    if (Date.now() > context.deadline) break;
    const analysis = firstPass(unit, context, none);
    if (analysis) units.set(unit, analysis);
  }
  const written = new Map<string, readonly TaintLabel[]>();
  for (const analysis of units.values()) {
    for (const write of analysis.writes) written.set(write.path, mergeLabels(written.get(write.path) ?? [], write.labels));
  }
  if (written.size > 0) {
    let rewalked = 0;
    for (const unit of context.model.units) {
      if (rewalked >= MAX_SECOND_PASS_UNITS || Date.now() > context.deadline) break;
      if (![...written.keys()].some((name) => unit.text.includes(name))) continue;
      rewalked++;
      const analysis = analyseUnit(unit, context, written);
      if (analysis) units.set(unit, analysis);
    }
  }
  const disclosure = new HostDisclosure(context.model);
  const flows = [...units.values()].flatMap((analysis) => analysis.flows).filter((flow) => !flow.unlessHostDisclosed || !disclosure.disclosed(flow));
  const bundles = [...units.values()].flatMap((analysis) => analysis.bundles);
  const callerCommands = [...units.values()].flatMap((analysis) => analysis.callerCommands);
  const builtCommands = [...units.values()].flatMap((analysis) => analysis.builtCommands);
  const result: SkillAnalysis = { units, flows, callerCommands, builtCommands, bundles };
  analyses.set(context.cache, result);
  return result;
}

/**
 * Whether the skill tells its user about the host a generic-named secret is sent to: the host, or
 * the service label of its domain ("acme" in api.acme.io), appears in the description or in a
 * Markdown file outside the code that sends. Reserved documentation domains (`example.com`,
 * `.test`) name no service, so only the whole host counts for them. Answers are kept per host and
 * sending unit, however many flows a hostile skill makes.
 */
const MAX_DISCLOSURE_SEARCHES = 100;

class HostDisclosure {
  private readonly answers = new Map<string, boolean>();

  constructor(private readonly model: SkillModel) {}

  disclosed(flow: Flow): boolean {
    const host = flow.sink.host?.toLowerCase();
    if (!host) return false;
    const sending = this.model.units.find((unit) => unit.file.path === flow.sink.file && flow.sink.start >= unit.start && flow.sink.end <= unit.end);
    const key = `${host}\u0000${sending ? `${sending.file.path}\u0000${sending.start}` : ''}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      // Each search reads every Markdown file; past the cap a host counts as never named, so a
      // skill sending to thousands of hosts gets findings rather than a slow scan.
      answer = this.answers.size < MAX_DISCLOSURE_SEARCHES && this.search(host, sending);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private search(host: string, sending: CodeUnit | undefined): boolean {
    const label = serviceLabel(host);
    const stem = label ? serviceStem(label) : undefined;
    // Case-insensitive on the text as written, so that offsets into it stay exact.
    const pattern = wholeWordsPattern([host, ...(label ? [label] : []), ...(stem ? [stem] : [])], 'i');
    if (pattern.test(nameAndDescription(this.model))) return true;
    for (const file of this.model.files) {
      if (!file.markdown) continue;
      const text = file.text;
      if (!sending || sending.file !== file) {
        if (pattern.test(text)) return true;
      } else if (pattern.test(text.slice(0, sending.start)) || pattern.test(text.slice(sending.end))) return true;
    }
    return false;
  }
}

/** Names the first-pass analysis among a script file's memoised results. */
const FIRST_PASS = {};

/**
 * The first pass over a unit, kept between scans: its result depends only on the unit's file,
 * language and text (and where the unit starts, which {@link movedAnalysis} corrects), and
 * re-walking every script and fence on each keystroke in SKILL.md was most of an edit's cost.
 * Typing inside a script's comment, or a Python docstring, changes its text but not what the walk
 * reads, so the result for the text before the keystroke is carried over ({@link inertEdit}).
 */
function firstPass(unit: CodeUnit, context: MatchContext, none: FileTaints): UnitAnalysis | undefined {
  // A script becomes a hook script, or stops being one, when SKILL.md's hooks change: its walk
  // reads its input differently, so the result is kept apart.
  const variant = isHookScript(unit, context) ? HOOK_VARIANT : '';
  // Only a script has a previous text to reuse walks from (a fence moves with the text above it).
  const walkFresh = (): UnitAnalysis | null => analyseUnit(unit, context, none, context.memo && unit.origin === 'script' ? helperReuse(unit, context.memo, variant) : undefined) ?? null;
  const kept = perUnit(context.memo, context.deadline, unit, FIRST_PASS, walkFresh, movedAnalysis, variant, {
    edit: (previousText) => inertEdit(unit, previousText, context),
    carry: (analysis, edit) => withHelperWalksAcross(relocatedAnalysis(analysis, (at) => (at.file === unit.file.path ? acrossTextEdit(at, edit) : at)), analysis, edit, unit),
  });
  return kept === null ? undefined : { ...kept, unit };
}

/**
 * The helper walks of the script's previous text (the keystroke before), to be reused where a
 * helper and what its walk read are unchanged, and to collect this walk's for the next text.
 */
function helperReuse(unit: CodeUnit, memo: ResultMemo, variant: string): HelperReuse {
  const previous = previousResult<UnitAnalysis | null>(memo, unit, FIRST_PASS, variant);
  const walks = previous?.value?.helperWalks;
  const usable = walks && previous && walks.text === previous.text ? walks : undefined;
  return new HelperReuse(usable, usable ? textEdit(usable.text, unit.text) : undefined, unit.start, unit.file.path);
}

/**
 * A first-pass result carried across an edit its walk never reads, with its helper walks moved
 * across it too (a walk of the helper the edit is in is dropped: its text changed).
 */
function withHelperWalksAcross(carried: UnitAnalysis | null | undefined, analysis: UnitAnalysis | null, edit: TextEdit, unit: CodeUnit): UnitAnalysis | null | undefined {
  const walks = analysis?.helperWalks;
  if (!carried || !walks || walks.base !== unit.start) return carried;
  const unitEdit = { start: edit.start - unit.start, oldEnd: edit.oldEnd - unit.start, newEnd: edit.newEnd - unit.start };
  const across = new AcrossEdit(unitEdit, unit.start, unit.file.path);
  const moved: HelperWalk[] = [];
  for (const walk of walks.walks) {
    const placed = across.walk(walk);
    if (placed) moved.push(placed);
  }
  return { ...carried, helperWalks: { text: unit.text, base: unit.start, walks: moved } };
}

/**
 * Comments the walkers never read, by language and the type of the node that holds them: lists of
 * statements, which the walkers read statement by statement and where a comment is no statement.
 * In Python, a definition holds the comment before its first statement. A comment held by a
 * Python `if` or `while` statement is left out: the walker reads such a statement's parts one by
 * one, comments among them.
 */
const STATEMENT_LISTS: Readonly<Partial<Record<CodeUnit['language'], ReadonlySet<string>>>> = {
  python: new Set(['module', 'block', 'function_definition', 'class_definition']),
  bash: new Set(['program', 'compound_statement', 'do_group', 'if_statement', 'elif_clause', 'else_clause', 'while_statement', 'case_item']),
};

/**
 * The edit from `previousText` to the unit's text when it lies inside text the first pass never
 * reads, and the script parses cleanly: then both texts hold the same statements and the walk
 * reads the same nodes. Other checks whose results ignore the same text carry theirs across the
 * same edit. Two kinds of text qualify:
 *
 * - One comment (`#` to the end of the line) that stands among statements. A comment inside an
 *   expression or a command is left out, because the walkers read the text of those, comments
 *   included. The comment must start before the edit, so its `#` is in the text both share, and
 *   neither side of the edit may hold a line break, so it ends at the same line's end in both.
 * - The text of a Python string that stands alone among statements: a docstring, or a string used
 *   as a block comment ({@link isStandaloneString}). The walkers evaluate such a string and drop
 *   its value. The string must take no interpolations (no `f` or `t` prefix, which lies before the
 *   edit in both texts); neither side of the edit may hold the string's quote character, a
 *   backslash or a line break, nor may the character before it be that quote or a backslash
 *   (`""` before an insertion and the closing `"""`'s first quote after it were the string's end
 *   without it), so that the string starts and ends at the same places in both.
 */
export function inertEdit(unit: CodeUnit, previousText: string, context: MatchContext): TextEdit | undefined {
  const lists = STATEMENT_LISTS[unit.language];
  if (!lists || unit.text.length > MAX_UNIT_LENGTH) return undefined;
  const edit = textEdit(previousText, unit.text);
  if (edit.start === 0) return undefined;
  const removed = previousText.slice(edit.start, edit.oldEnd);
  const inserted = unit.text.slice(edit.start, edit.newEnd);
  if (LINE_BREAK.test(removed) || LINE_BREAK.test(inserted)) return undefined;
  const tree = treeFor(unit, context);
  if (!tree || tree.rootNode.hasError) return undefined;
  // The character before the edit and every one inserted lie in the comment or the string's text.
  const node = tree.rootNode.descendantForIndex(edit.start - 1, Math.max(edit.start, edit.newEnd) - 1);
  if (!node || node.startIndex >= edit.start || node.endIndex < edit.newEnd) return undefined;
  const inert =
    (node.type === 'comment' && node.text.startsWith('#') && lists.has(node.parent?.type ?? '')) ||
    (unit.language === 'python' && isDocstringText(node, `${unit.text.charAt(edit.start - 1)}${removed}${inserted}`));
  return inert ? { start: unit.start + edit.start, oldEnd: unit.start + edit.oldEnd, newEnd: unit.start + edit.newEnd } : undefined;
}

/** A Python `string` node that is a statement of its own among statements: a docstring, or a string used as a block comment. */
export function isStandaloneString(string: Node): boolean {
  const statement = string.parent;
  return string.type === 'string' && statement?.type === 'expression_statement' && statement.namedChildCount === 1 && PYTHON_STATEMENT_LISTS.has(statement.parent?.type ?? '');
}

const PYTHON_STATEMENT_LISTS = STATEMENT_LISTS.python ?? new Set<string>();

/**
 * `node` is the text of a standalone Python string without interpolations, and `touched` (the
 * edit, both sides, and the character before it) holds no character that could end the string or
 * escape one: its quote character or a backslash.
 */
function isDocstringText(node: Node, touched: string): boolean {
  const string = node.type === 'string_content' ? node.parent : null;
  if (!string || !isStandaloneString(string)) return false;
  const opening = string.firstChild;
  if (opening?.type !== 'string_start' || /[fFtT]/.test(opening.text)) return false;
  const quote = opening.text.slice(-1);
  return !touched.includes(quote) && !touched.includes('\\');
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** A first-pass result shifted to where its unit now starts (text inserted above a fence). */
function movedAnalysis(analysis: UnitAnalysis | null, by: number): UnitAnalysis | null {
  const move = analysis === null ? undefined : moverIn(analysis.unit.file.path, by);
  return move ? (relocatedAnalysis(analysis, move) ?? null) : null;
}

/**
 * A first-pass result with every location moved by `relocate`, or undefined when `relocate`
 * gives up on one. A first pass knows no other unit, so every location in it is in the unit's own
 * file; a label shared by several results stays shared.
 */
function relocatedAnalysis(analysis: UnitAnalysis | null, relocate: <T extends Located>(at: T) => T | undefined): UnitAnalysis | null | undefined {
  if (analysis === null) return null;
  let lost = false;
  const place = <T extends Located>(at: T): T => {
    const placed = relocate(at);
    if (placed === undefined) lost = true;
    return placed ?? at;
  };
  const labels = new Map<TaintLabel, TaintLabel>();
  const placeLabel = (label: TaintLabel): TaintLabel => {
    let placed = labels.get(label);
    if (!placed) {
      placed = { ...place(label), via: label.via.map((step) => place(step)) };
      labels.set(label, placed);
    }
    return placed;
  };
  const relocated: UnitAnalysis = {
    unit: analysis.unit,
    flows: analysis.flows.map((flow): Flow => ({ ...flow, source: placeLabel(flow.source), sink: place(flow.sink), steps: flow.steps.map((step) => place(step)) })),
    callerCommands: analysis.callerCommands.map((command): CallerCommand => place(command)),
    builtCommands: analysis.builtCommands.map((command): BuiltCommand => ({ ...place(command), text: command.text })),
    writes: analysis.writes.map((write): FileWrite => ({ ...place(write), labels: write.labels.map(placeLabel) })),
    bundles: analysis.bundles.map((bundle): SecretBundle => ({ ...place(bundle), sources: bundle.sources.map(placeLabel) })),
  };
  return lost ? undefined : relocated;
}

/** A location in a file. */
interface Located {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Walks one unit; undefined when it has no grammar, is too large, or could not be parsed. */
export function analyseUnit(unit: CodeUnit, context: MatchContext, fileTaints: FileTaints, reuse?: HelperReuse): UnitAnalysis | undefined {
  const language = unitTreeLanguage(unit);
  if (!language || unit.text.length > MAX_UNIT_LENGTH) return undefined;
  const tree = treeFor(unit, context);
  if (!tree) return undefined;
  return walkTree(unit, tree, language, context.deadline, fileTaints, reuse, isHookScript(unit, context) ? HOOK_INPUT : undefined);
}

const HOOK_VARIANT = 'hook-input';
const hookScriptsByScan = new WeakMap<ScanCache, ReadonlySet<string>>();

/** A bundled script, whole, that a hook of the skill runs: the agent hands it the session's data on its standard input. */
function isHookScript(unit: CodeUnit, context: MatchContext): boolean {
  if (unit.origin !== 'script' || unit.start !== 0 || unit.file.kind !== 'script') return false;
  let scripts = hookScriptsByScan.get(context.cache);
  if (!scripts) {
    scripts = hookScripts(context.model);
    hookScriptsByScan.set(context.cache, scripts);
  }
  return scripts.has(unit.file.path);
}

/** Plugin hook files and agent settings bundled with the skill, whose hooks run commands. */
const HOOK_CONFIG_FILE = /(?:^|\/)(?:hooks\.json|settings(?:\.local)?\.json)$/;
/** A hook's `"command": "…"` in JSON (its escapes do not matter for the script paths it names). */
const JSON_COMMAND = /"command"\s{0,20}:\s{0,20}"((?:[^"\\\n]|\\.){1,2000})"/g;

/**
 * The bundled scripts the skill's hooks run: those named in a command of SKILL.md's `hooks`
 * field, of a plugin's `hooks.json` or of bundled agent settings. Every command is read, so
 * harmless hooks in front of one cannot push it out of view; the words they hold are indexed by
 * their last path segment once.
 */
export function hookScripts(model: SkillModel): ReadonlySet<string> {
  const commands: string[] = [];
  const hooksField = model.skillMd?.frontmatter?.fields.get('hooks');
  if (hooksField) {
    for (const unit of model.units) {
      if (unit.file === model.skillMd && unit.origin === 'script' && unit.start >= hooksField.keyStart && unit.end <= hooksField.valueEnd) commands.push(unit.text);
    }
  }
  for (const file of model.files) {
    if (HOOK_CONFIG_FILE.test(file.path)) for (const match of file.text.matchAll(JSON_COMMAND)) commands.push(match[1] ?? '');
  }
  const wordsByName = new Map<string, string[]>();
  for (const command of commands) {
    for (const match of command.matchAll(/[\w./${}~-]+/g)) {
      const word = match[0];
      const name = word.slice(word.lastIndexOf('/') + 1);
      const words = wordsByName.get(name);
      if (words) words.push(word);
      else wordsByName.set(name, [word]);
    }
  }
  const found = new Set<string>();
  for (const script of model.files) {
    if (script.kind !== 'script') continue;
    const words = wordsByName.get(script.path.slice(script.path.lastIndexOf('/') + 1));
    if (words?.some((word) => pathMatches(word, script.path))) found.add(script.path);
  }
  return found;
}

/**
 * Walks one unit's tree. `reuse`, for a script's first pass in the editor, holds the helper walks
 * of its previous text; they are recorded and reused only with no taint from other units' files
 * (which the walks do not record).
 */
export function walkTree(unit: CodeUnit, tree: Tree, language: TreeLanguage, deadline: number, fileTaints: FileTaints, reuse?: HelperReuse, scriptInput?: PathSource): UnitAnalysis {
  const recorder = new Recorder(unit.file.path, unit.start, fileTaints, scriptInput);
  const root = tree.rootNode;
  const helperReuse = fileTaints.size === 0 ? reuse : undefined;
  if (language === 'python') new PythonWalker(recorder, deadline, root, helperReuse).run();
  else if (language === 'bash') new BashWalker(recorder, deadline, root, helperReuse).run();
  else if (language === 'powershell') new PowerShellWalker(recorder, deadline, root, helperReuse).run();
  else new JavaScriptWalker(recorder, deadline, root, helperReuse).run();
  // Inline code in a sentence is graded with its line (a heading's command is not an order) by
  // the rules over inline code; the programs it hands on are not read apart from that line.
  const builtCommands = unit.origin === 'inline' ? [] : recorder.builtCommands;
  const analysis: UnitAnalysis = { unit, flows: recorder.flows, callerCommands: recorder.callerCommands, builtCommands, writes: recorder.writes, bundles: recorder.bundles };
  return helperReuse ? { ...analysis, helperWalks: { text: unit.text, base: unit.start, walks: helperReuse.kept } } : analysis;
}
