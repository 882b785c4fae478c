import type { Node } from 'web-tree-sitter';
import { asCredential, EMPTY, joinValues, jsonMember, MAX_JSON, mergedObjectJson, textValue, tupleValue, union, withListJson, withText, type AbstractValue, type Recorder, type SinkPosition, type SinkSite, type Step, type TaintLabel } from './core';
import { HelperRecording, sameRead, type FunctionShape, type HelperReuse, type OutsideEffect, type OutsideRead } from './helper-replay';
import { HOME_VARIABLES, hostInText, isSecretName, keyFileVariable, workloadCredentialSource } from './labels';
import { uploadedFilePath } from './shell-text';
import { indexedNodes } from './node-index';

/**
 * What the three language walkers share: variable scopes, helper-function summaries and the
 * budgets that keep a hostile unit linear. Each walker makes one forward pass over its tree in
 * source order (a flow-insensitive enough approximation for the straight-line code skills hold),
 * and analyses each helper function once, with its parameters as symbolic inputs.
 */

export class Scope {
  private readonly vars = new Map<string, AbstractValue>();
  /**
   * Set on the module's scope while a helper's walk is recorded (`helper-replay.ts`): reads that
   * reach the module's variables, and additions to them, are state outside the helper.
   */
  watch: HelperRecording | undefined;
  constructor(readonly parent?: Scope) {}

  get(name: string): AbstractValue | undefined {
    const own = this.vars.get(name);
    if (own !== undefined || !this.parent) {
      this.watch?.read({ kind: 'variable', name, value: own });
      return own;
    }
    let scope: Scope | undefined = this.parent;
    let depth = 0;
    while (scope && depth++ < 64) {
      const value = scope.vars.get(name);
      if (value !== undefined || !scope.parent) {
        scope.watch?.read({ kind: 'variable', name, value });
        return value;
      }
      scope = scope.parent;
    }
    return undefined;
  }

  set(name: string, value: AbstractValue): void {
    if (this.vars.size >= MAX_VARIABLES && !this.vars.has(name)) return;
    this.vars.set(name, value);
  }

  /**
   * Adds taint without forgetting what was there (container updates, `+=`), in the scope that
   * holds the variable: a callback that fills an outer object (`f[k] = el.value`) fills that object.
   */
  add(name: string, value: AbstractValue): void {
    const target = this.owner(name) ?? this;
    const previous = target.vars.get(name);
    let added = previous ? union(previous, value) : value;
    // A member given to an object (`value.json` is `{"key": …}`): the object's JSON gains it.
    if (previous && value.json !== undefined) {
      const json = mergedObjectJson(previous.json, value.json);
      if (json !== undefined) added = { ...added, json };
    }
    target.watch?.effect({ kind: 'add-variable', name, value }, { kind: 'variable', name, value: previous });
    target.set(name, added);
  }

  /** The variable's value in this scope alone, unrecorded: for comparing recorded reads with the state now. */
  peek(name: string): AbstractValue | undefined {
    return this.vars.get(name);
  }

  /** The scope, this one or an enclosing one, that holds `name`. */
  private owner(name: string): Scope | undefined {
    if (this.vars.has(name)) return this;
    let scope = this.parent;
    for (let depth = 0; scope && depth < 64; depth++, scope = scope.parent) {
      if (scope.vars.has(name)) return scope;
      // Whether the module holds the variable decides where it is added.
      if (!scope.parent) scope.watch?.read({ kind: 'variable', name, value: undefined });
    }
    return undefined;
  }
}

const MAX_VARIABLES = 50_000;
export const MAX_DEPTH = 120;
/** A loop over more literal items than this is walked once, with the item unknown; up to it, once per item. */
export const MAX_LITERAL_LOOP_ITEMS = 8;
const MAX_NODES = 5_000_000;
const MAX_SUMMARY_DEPTH = 6;

/**
 * Visits are counted so a unit with deep nesting or many calls into its helpers stays bounded.
 * The count is high, and the deadline (checked every 1,024 visits) is what usually stops a walk:
 * a rule past its deadline is reported as a partial analysis, while a walk stopped by the count
 * is not, so 300,000 visits let 90,000 harmless statements hide the key upload after them.
 */
export class Budget {
  private nodes = 0;
  constructor(private readonly deadline: number) {}

  /** False once the unit has used its share of nodes or time. */
  tick(): boolean {
    this.nodes++;
    if (this.nodes > MAX_NODES) return false;
    if ((this.nodes & 1023) === 0 && Date.now() > this.deadline) {
      this.nodes = MAX_NODES + 1;
      return false;
    }
    return true;
  }

  get exhausted(): boolean {
    return this.nodes > MAX_NODES;
  }

  /** Visits counted so far. */
  get used(): number {
    return this.nodes;
  }

  /**
   * Counts the visits of a walk that is not run again (a helper's walk reused from the previous
   * text): false, counting nothing, when they would go past the unit's share, where the walk
   * itself would have stopped part-way.
   */
  spend(visits: number): boolean {
    if (this.nodes + visits > MAX_NODES) return false;
    const before = this.nodes;
    this.nodes += visits;
    if (this.nodes >>> 10 !== before >>> 10 && Date.now() > this.deadline) this.nodes = MAX_NODES + 1;
    return true;
  }
}

export interface ParamSink {
  readonly param: number;
  readonly sink: SinkSite;
  readonly position: SinkPosition;
}

export interface Summary {
  readonly returns: AbstractValue;
  readonly paramSinks: readonly ParamSink[];
}

export const EMPTY_SUMMARY: Summary = { returns: EMPTY, paramSinks: [] };

export interface FunctionInfo {
  readonly name: string;
  readonly node: Node;
  readonly params: readonly string[];
  /** Methods take their receiver as the first parameter (`self`); calls skip it. */
  readonly receiverOffset: number;
  /** The class a method is defined in, so `Class.m()` and `instance.m()` reach it. */
  readonly className?: string;
}

/** The frame of the helper being summarised: where its returns and parameter sinks are collected. */
export class Frame {
  returns: AbstractValue | undefined;
  readonly paramSinks: ParamSink[] = [];
}

/** Holds summaries and the walk's current frame; the language walkers extend it. */
export abstract class WalkerBase {
  protected readonly summaries = new Map<Node, Summary>();
  private readonly inProgress = new Set<Node>();
  protected readonly functions = new Map<string, FunctionInfo>();
  protected frame: Frame | undefined;
  /** Variables in view; a helper's body gets a fresh scope under the globals. */
  protected scope = new Scope();
  protected readonly globals = this.scope;
  protected readonly budget: Budget;
  /** The helper walk being recorded, if any; reads and effects outside the helper go to it. */
  protected recording: HelperRecording | undefined;
  /**
   * Facts of the whole script that change how its code is read, by name, each the pattern the
   * script's text matches when it holds (an import that gives a bare call its meaning, a JSON
   * serialiser); see `uses`.
   */
  protected readonly scriptFacts: Readonly<Record<string, RegExp>> = {};
  private readonly factsFound = new Map<string, boolean>();

  constructor(
    protected readonly recorder: Recorder,
    deadline: number,
    /** Helper walks of the previous text to reuse, and where this walk's are kept; undefined to record none. */
    private readonly reuse?: HelperReuse,
  ) {
    this.budget = new Budget(deadline);
  }

  /** Sends a value to a sink: real labels become flows, parameter bits become the helper's parameter sinks. */
  protected reachSink(value: AbstractValue, sink: SinkSite, position: SinkPosition, steps: readonly Step[] = []): void {
    this.recorder.reach(value, sink, position, steps);
    if (value.params !== 0 && this.frame) {
      for (let bit = 0; bit < 30; bit++) {
        if ((value.params & (1 << bit)) !== 0 && this.frame.paramSinks.length < 50) {
          this.frame.paramSinks.push({ param: bit, sink, position });
        }
      }
    }
  }

  /**
   * Analyses a helper once, with parameter i standing for "whatever the caller passes as argument i".
   * With walks of the previous text to reuse (`helper-replay.ts`), a helper whose text and outside
   * reads are unchanged has its recorded effects applied instead of being walked again.
   */
  protected summaryOf(info: FunctionInfo): Summary {
    // A walk being recorded that reads another helper's summary depends on that helper's walk:
    // such a walk is not recorded.
    this.recording?.abandon();
    const cached = this.summaries.get(info.node);
    if (cached) return cached;
    if (this.inProgress.has(info.node) || this.inProgress.size >= MAX_SUMMARY_DEPTH) return EMPTY_SUMMARY;
    const reuse = this.reuse;
    const reused = reuse ? this.reusedSummary(info, reuse) : undefined;
    if (reused) {
      this.summaries.set(info.node, reused);
      return reused;
    }
    this.inProgress.add(info.node);
    const outer = this.frame;
    const frame = new Frame();
    this.frame = frame;
    const outerRecording = this.recording;
    const recording = reuse ? new HelperRecording(info.node.startIndex, info.node.endIndex, info.node.text, this.budget.used) : undefined;
    this.watch(recording);
    try {
      this.walkFunctionBody(info);
    } finally {
      this.frame = outer;
      this.inProgress.delete(info.node);
      this.watch(outerRecording);
    }
    const summary: Summary = { returns: frame.returns ?? EMPTY, paramSinks: frame.paramSinks };
    const walk = recording?.finish(this.budget.used, summary);
    if (walk && !this.budget.exhausted) reuse?.keep(walk);
    this.summaries.set(info.node, summary);
    return summary;
  }

  /** The helper defined under `name`; looked up through here so that a recorded helper walk sees it. */
  protected helperNamed(name: string): FunctionInfo | undefined {
    const helper = this.functions.get(name);
    this.recording?.read({ kind: 'function', name, defined: helper && shapeOf(helper) });
    return helper;
  }

  /** Points every recorded piece of outside state at `recording`. */
  private watch(recording: HelperRecording | undefined): void {
    this.recording = recording;
    this.globals.watch = recording;
    this.recorder.log = recording;
  }

  /** The summary of the helper's walk at the previous text, its effects applied, when its text and every outside read are unchanged. */
  private reusedSummary(info: FunctionInfo, reuse: HelperReuse): Summary | undefined {
    const node = info.node;
    const walk = reuse.previousWalk(node.startIndex, node.endIndex, () => node.text);
    if (!walk) return undefined;
    for (const read of walk.reads) {
      const now = this.outsideNow(read);
      if (!now || !sameRead(read, now)) return undefined;
    }
    if (!this.budget.spend(walk.ticks)) return undefined;
    for (const effect of walk.effects) this.apply(effect);
    reuse.keep(walk);
    return walk.summary;
  }

  /** The script's text, which `scriptFacts` are tested against (walkers with facts give it). */
  protected scriptText(): string {
    return '';
  }

  /** Whether the script holds the fact named (see `scriptFacts`); a recorded helper walk notes that it asked. */
  protected uses(name: string): boolean {
    const uses = this.usesUnrecorded(name);
    this.recording?.read({ kind: 'script-uses', name, uses });
    return uses;
  }

  private usesUnrecorded(name: string): boolean {
    let found = this.factsFound.get(name);
    if (found === undefined) {
      found = this.scriptFacts[name]?.test(this.scriptText()) ?? false;
      this.factsFound.set(name, found);
    }
    return found;
  }

  /** The value the piece of outside state `read` names has now; undefined when this walker keeps no such state. */
  protected outsideNow(read: OutsideRead): OutsideRead | undefined {
    switch (read.kind) {
      case 'script-uses':
        return { ...read, uses: this.usesUnrecorded(read.name) };
      case 'variable':
        return { kind: 'variable', name: read.name, value: this.globals.peek(read.name) };
      case 'written-file':
        return { kind: 'written-file', key: read.key, labels: this.recorder.writtenTo(read.key) };
      case 'function': {
        const helper = this.functions.get(read.name);
        return { kind: 'function', name: read.name, defined: helper && shapeOf(helper) };
      }
      default:
        return undefined;
    }
  }

  /** Does again what a reused walk did outside its helper. */
  protected apply(effect: OutsideEffect): void {
    switch (effect.kind) {
      case 'add-variable':
        this.globals.add(effect.name, effect.value);
        return;
      case 'reach':
        this.recorder.reach(effect.value, effect.sink, effect.position, effect.steps);
        return;
      case 'shell-command':
        this.recorder.shellCommand(effect.value, effect.start, effect.end);
        return;
      case 'program-text':
        this.recorder.programText(effect.value, effect.start, effect.end, effect.scanAs);
        return;
      case 'bundle':
        this.recorder.bundle(effect.value, effect.description, effect.start, effect.end);
        return;
      case 'read-file':
        this.recorder.readFile(effect.path, effect.start, effect.end);
        return;
      case 'write-file':
        this.recorder.writeFile(effect.path, effect.value, effect.start, effect.end);
        return;
      default:
        return;
    }
  }

  /** Walks a helper's body in a fresh scope whose parameters are symbolic. */
  protected abstract walkFunctionBody(info: FunctionInfo): void;

  /**
   * Runs `walk` in a fresh scope under the globals where parameter i of the helper holds the
   * symbolic value "bit i" (so its summary says which parameters reach a sink or the result).
   */
  protected inHelperScope(params: readonly string[], walk: () => void): void {
    const saved = this.scope;
    this.scope = new Scope(this.globals);
    params.forEach((param, index) => {
      if (param && index < 30) this.scope.set(param, { labels: [], params: 1 << index });
    });
    try {
      walk();
    } finally {
      this.scope = saved;
    }
  }

  /** The value of a call to a helper: what it returns given these arguments; its parameter sinks fire. */
  protected applySummary(info: FunctionInfo, args: readonly AbstractValue[], callFile: string, callStart: number, callEnd: number): AbstractValue {
    const summary = this.summaryOf(info);
    const argument = (param: number): AbstractValue => args[param - info.receiverOffset] ?? EMPTY;
    const parts: AbstractValue[] = [{ labels: lookedUpByName(summary.returns.labels, args[0]?.text, this.recorder, callStart - this.recorder.base, callEnd - this.recorder.base), params: 0 }];
    for (let bit = 0; bit < 30; bit++) {
      if ((summary.returns.params & (1 << bit)) !== 0) parts.push(argument(bit));
    }
    const step: Step = { file: callFile, start: callStart, end: callEnd, message: `The data is passed to the helper \`${info.name}\` here.` };
    for (const paramSink of summary.paramSinks) {
      this.reachSink(argument(paramSink.param), paramSink.sink, paramSink.position, [step]);
      // `def run(c): os.system(c)` … `run("curl … | sh")`: the command is read where it is given.
      if (paramSink.sink.shell) this.recorder.shellCommand(argument(paramSink.param), callStart - this.recorder.base, callEnd - this.recorder.base);
    }
    const tuple = summary.returns.parts;
    if (tuple && tuple.every((part) => part.params === 0)) return tupleValue(tuple);
    return union(...parts);
  }

  /** Summarises helpers no call reached, so flows inside them are still reported. */
  protected summariseRemaining(): void {
    for (const info of this.functions.values()) {
      if (this.budget.exhausted) return;
      this.summaryOf(info);
    }
  }

  /**
   * The script's command-line arguments. One label per unit (at the unit's start): it never
   * becomes a flow, and several would crowd real sources out of a value's bounded label list.
   */
  protected callerInput(): AbstractValue {
    return { labels: [this.recorder.label({ category: 'caller-input', description: 'the command-line arguments' }, 0, 0)], params: 0 };
  }

  /**
   * One environment variable read by name: `~` for the home folder, `${NAME}` for a variable that
   * names a key file (see `keyFileVariable`), the named secret for a name that says it holds one.
   */
  protected environmentValue(name: string, start: number, end: number): AbstractValue {
    if (HOME_VARIABLES.has(name)) return textValue('~');
    const keyFile = keyFileVariable(name);
    if (keyFile) return textValue(keyFile);
    return isSecretName(name) ? { labels: [namedSecret(this.recorder, name, start, end)], params: 0 } : EMPTY;
  }

  /**
   * Code reaching an executor, without the downloads made in the statement that runs it (unit
   * offsets `statement`): a download handed straight to a shell or to `iex` is SKL501's pattern
   * finding. `keep` keeps such a download anyway (one no pattern can read).
   */
  protected executorReach(node: Node, description: string, code: AbstractValue, statement: readonly [number, number], keep: (label: TaintLabel) => boolean = () => false): void {
    const start = this.recorder.base + Math.min(statement[0], node.startIndex);
    const end = this.recorder.base + Math.max(statement[1], node.endIndex);
    const inStatement = (label: TaintLabel): boolean => label.category === 'download' && label.file === this.recorder.file && label.start >= start && label.end <= end;
    const outside = { ...code, labels: code.labels.filter((label) => !inStatement(label) || keep(label)) };
    this.reachSink(outside, this.recorder.sink('executor', description, node.startIndex, node.endIndex), 'code');
  }

  /**
   * What the script reads from its standard input, read at unit-relative offsets: a source for a
   * hook script (the agent hands it the session's data there), nothing otherwise.
   */
  protected scriptInput(start: number, end: number): AbstractValue {
    const source = this.recorder.scriptInput;
    return source ? { labels: [this.recorder.label(source, start, end)], params: 0 } : EMPTY;
  }

  /**
   * curl and wget, given their words (the program first): uploads are sinks; the output is
   * downloaded data. Shared by the shells that run them: Bash, and PowerShell with `curl.exe`.
   */
  protected transfer(node: Node, program: string, words: readonly { node: Node; value: AbstractValue }[], stdin: AbstractValue): AbstractValue {
    const texts = words.map((word) => (word.value.text ?? '*').replace(/^--url=/, ''));
    const url = texts.find((text) => /^(?:https?|ftp|wss?):\/\//i.test(text)) ?? texts.find((text) => /^[\w.-]+\.[a-z]{2,}(?:\/|$)/i.test(text));
    const host = hostInText(url) ?? (url && !/^[a-z][\w+.-]{0,20}:/i.test(url) ? url.replace(/\/.*$/, '') : undefined);
    const sink: SinkSite = this.recorder.sink('network', `\`${program}\` to ${host ?? 'a remote server'}`, node.startIndex, node.endIndex, host);
    for (let i = 1; i < words.length; i++) {
      const word = words[i];
      if (!word) continue;
      const text = word.value.text ?? '';
      const attached = /^(--[\w-]+)=(.*)$/s.exec(text) ?? /^(-[dFTH])(.+)$/s.exec(text);
      const flag = attached ? (attached[1] ?? '') : text;
      // A user agent or referer set to data carries it too (`curl -A "$(cat ~/.aws/credentials)" …`).
      const identity = /^(?:--user-agent|--referer)$/.test(flag) || (program === 'curl' ? /^-[Ae]$/.test(flag) : /^-U$/.test(flag));
      const takesValue = identity || /^(?:-d|--data|--data-binary|--data-raw|--data-ascii|--data-urlencode|--json|-F|--form|--form-string|-T|--upload-file|-H|--header|-u|--user|--oauth2-bearer|--post-data|--post-file|--body-data|--body-file|--url|-b|--cookie)$/.test(flag);
      if (!takesValue) {
        if (text === url) this.reachSink(word.value, sink, 'url');
        continue;
      }
      let value = word.value;
      let valueNode = word.node;
      if (!attached) {
        const next = words[i + 1];
        if (!next) break;
        value = next.value;
        valueNode = next.node;
        i++;
      } else {
        value = withText(value, attached[2]);
      }
      if (/^(?:-H|--header|-u|--user|--oauth2-bearer|-b|--cookie)$/.test(flag)) {
        this.reachSink(asCredential(value), sink, 'header');
        continue;
      }
      if (flag === '--url') {
        this.reachSink(value, sink, 'url');
        continue;
      }
      const path = uploadedFilePath(flag, value.text ?? '');
      if (path === '-') this.reachSink(stdin, sink, 'payload');
      else if (path !== undefined) this.reachSink(union(value, this.recorder.readFile(path, valueNode.startIndex, valueNode.endIndex)), sink, 'payload');
      else this.reachSink(value, sink, 'payload');
    }
    // The metadata service answers with the machine's role credentials, not with downloaded code.
    const metadata = workloadCredentialSource(url) ?? words.map((word) => workloadCredentialSource(word.node.text)).find((found) => found !== undefined);
    if (metadata) return { labels: [this.recorder.label(metadata, node.startIndex, node.endIndex)], params: 0 };
    return { labels: [this.recorder.label({ category: 'download', description: 'data downloaded from the network' }, node.startIndex, node.endIndex)], params: 0 };
  }

  /** Visits the statements of a block in order, within the walk's depth bound and budget. */
  protected eachStatement(node: Node, depth: number, visit: (statement: Node, depth: number) => void): void {
    if (depth > MAX_DEPTH) return;
    for (const child of node.namedChildren) {
      if (!child || !this.budget.tick()) return;
      visit(child, depth + 1);
    }
  }

  protected returnValue(value: AbstractValue): void {
    if (this.frame) this.frame.returns = this.frame.returns === undefined ? value : joinValues(this.frame.returns, value);
  }
}

function shapeOf(helper: FunctionInfo): FunctionShape {
  return { start: helper.node.startIndex, end: helper.node.endIndex, params: helper.params, receiverOffset: helper.receiverOffset, className: helper.className };
}

/**
 * The named nodes of the given types in `root`'s subtree (itself included), in document order, at
 * most `limit`. Read from the tree's node index (`node-index.ts`, one walk per tree for the types
 * the readers share) when it holds the types, or else searched by tree-sitter itself: no
 * JavaScript object per node visited, and no recursion, so hostile nesting is safe.
 */
export function findAll(root: Node, types: ReadonlySet<string>, limit = 2000): Node[] {
  const indexed = indexedNodes(root, types, limit);
  if (indexed) return indexed;
  const found: Node[] = [];
  for (const node of root.descendantsOfType([...types])) {
    // A keyword token can share a node type's name (`def`); only named nodes are syntax.
    if (!node?.isNamed) continue;
    found.push(node);
    if (found.length >= limit) break;
  }
  return found;
}

/** Removes matching quotes around a literal. */
export function unquote(text: string): string {
  if (text.length >= 2) {
    const first = text[0];
    if ((first === '"' || first === "'" || first === '`') && text[text.length - 1] === first) return text.slice(1, -1);
  }
  return text;
}

/**
 * `env("MB_USERNAME")`: a helper that looks one variable up by name, in the environment or in a
 * `.env` file, returns that variable's value, not the whole file. Called with a literal variable
 * name, its `.env` and environment labels become that variable's: nothing for a name that holds no
 * secret (a host, a user name), the named secret for one that does.
 */
function lookedUpByName(labels: readonly TaintLabel[], name: string | undefined, recorder: Recorder, start: number, end: number): readonly TaintLabel[] {
  if (name === undefined || !/^[A-Z][A-Z0-9_]{1,80}$/.test(name)) return labels;
  const wholeStores = labels.filter((label) => label.category === 'dotenv' || label.category === 'environment');
  if (wholeStores.length === 0) return labels;
  const kept = labels.filter((label) => !wholeStores.includes(label));
  if (!isSecretName(name)) return kept;
  return [...kept, namedSecret(recorder, name, start, end)];
}

/** The label of one environment variable whose name says it holds a secret. */
function namedSecret(recorder: Recorder, name: string, start: number, end: number): TaintLabel {
  return recorder.label({ category: 'named-secret', description: `the secret variable ${name}` }, start, end, name);
}

/**
 * Imports, declarations and assignments read for renamed imports, aliases and named constants:
 * more than a script within the walk's 1 MB bound can hold (`const pN = N;` padding), so that
 * padding cannot push one after it out of view (a 1.3 MB JavaScript script of 60,000 declarations
 * is walked in under a second).
 */
export const MAX_DECLARATIONS_READ = 100_000;

/** Elements of a constant list of literals kept by index (`names[1]`); longer lists are data, not names. */
export const MAX_CONSTANT_ELEMENTS = 200;

/**
 * A list or array literal's value: its elements' values joined, with its JSON when `keepJson` (the
 * script serialises), the literal is within the bound and no element is a spread (`spreadType`).
 */
export function listLiteral(node: Node, keepJson: boolean, spreadType: string, evaluate: (child: Node) => AbstractValue, literalJson: (child: Node) => string | undefined): AbstractValue {
  const parts: AbstractValue[] = [];
  let members: string[] | undefined = keepJson && node.endIndex - node.startIndex <= MAX_JSON ? [] : undefined;
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    const value = evaluate(child);
    parts.push(value);
    if (child.type === spreadType) members = undefined;
    else members?.push(jsonMember(value, literalJson(child)));
  }
  return withListJson(union(...parts), members);
}
