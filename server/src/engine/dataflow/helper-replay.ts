import type { TextEdit } from '../result-memo';
import type { AbstractValue, SinkPosition, SinkSite, Step, TaintLabel } from './core';
import type { ParamSink, Summary } from './walker';

/**
 * Reuse of a helper function's walk from the script's previous text (the keystroke before, in
 * the editor). A helper's summary and what its walk reports depend on its own text and on the
 * state outside it that the walk reads: the module's variables, the open write handles and
 * outbound connections, the helpers the unit defines, the files written so far, facts of the
 * whole script (a shell variable assigned anywhere, a JavaScript import of undici, a Python import of scapy). So each walk
 * of a helper that calls no other helper is recorded: the first value it read of each piece of
 * outside state, and, in order, what it did that outlives it (reports to the recorder, variables
 * of the module it added to, handles and connections it opened). On the next text, a helper whose
 * text is unchanged, and whose recorded reads give the same values now, moved across the edit,
 * has its effects applied instead of being walked again: the walk is deterministic, so the
 * outcome is the one a walk would have had.
 *
 * Everything recorded is kept in the previous text's offsets, and moved across the edit when used:
 * a recorded value whose location overlaps the changed text cannot be the same value, so it never
 * matches.
 */

/** A piece of state outside a helper that its walk read, with the value it had then. */
export type OutsideRead =
  | { readonly kind: 'variable'; readonly name: string; readonly value: AbstractValue | undefined }
  | { readonly kind: 'write-handle'; readonly name: string; readonly path: string | undefined }
  | { readonly kind: 'instance'; readonly name: string; readonly className: string | undefined }
  | { readonly kind: 'class'; readonly name: string; readonly defined: boolean }
  | { readonly kind: 'function'; readonly name: string; readonly defined: FunctionShape | undefined }
  | { readonly kind: 'written-file'; readonly key: string; readonly labels: readonly TaintLabel[] | undefined }
  | { readonly kind: 'assigned'; readonly name: string; readonly assigned: boolean }
  | { readonly kind: 'channel'; readonly name: string; readonly sink: SinkSite | undefined }
  /**
   * Whether the script uses something that changes how its code is read: a module that gives a
   * bare call its meaning (undici's `request`, scapy's `send`), or a JSON serialiser (literals
   * then keep their JSON).
   */
  | { readonly kind: 'script-uses'; readonly name: string; readonly uses: boolean }
  | { readonly kind: 'import-alias'; readonly name: string; readonly full: string | undefined };

/** What identifies a helper found by name: where it is defined and how calls bind to it. */
export interface FunctionShape {
  readonly start: number;
  readonly end: number;
  readonly params: readonly string[];
  readonly receiverOffset: number;
  readonly className: string | undefined;
}

/** What a helper's walk did that outlives it, in order. Offsets of `start`/`end` are unit-relative. */
export type OutsideEffect =
  | { readonly kind: 'add-variable'; readonly name: string; readonly value: AbstractValue }
  | { readonly kind: 'set-write-handle'; readonly name: string; readonly path: string }
  | { readonly kind: 'set-instance'; readonly name: string; readonly className: string | undefined }
  | { readonly kind: 'set-channel'; readonly name: string; readonly sink: SinkSite }
  | { readonly kind: 'reach'; readonly value: AbstractValue; readonly sink: SinkSite; readonly position: SinkPosition; readonly steps: readonly Step[] }
  | { readonly kind: 'shell-command'; readonly value: AbstractValue; readonly start: number; readonly end: number }
  | { readonly kind: 'program-text'; readonly value: AbstractValue; readonly start: number; readonly end: number; readonly scanAs: string }
  | { readonly kind: 'bundle'; readonly value: AbstractValue; readonly description: string; readonly start: number; readonly end: number }
  | { readonly kind: 'read-file'; readonly path: string | undefined; readonly start: number; readonly end: number }
  | { readonly kind: 'write-file'; readonly path: string | undefined; readonly value: AbstractValue; readonly start: number; readonly end: number };

/** One walk of a helper: its place and text in the unit, what it read and did, and its summary. */
export interface HelperWalk {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Budget ticks the walk used. */
  readonly ticks: number;
  readonly reads: readonly OutsideRead[];
  readonly effects: readonly OutsideEffect[];
  readonly summary: Summary;
}

/** The helper walks of one walk of a unit, with the unit text and file offset they were made at. */
export interface HelperWalks {
  readonly text: string;
  readonly base: number;
  readonly walks: readonly HelperWalk[];
}

/** Collects one helper's walk while it runs; `abandon` when the walk reads another helper's summary. */
export class HelperRecording {
  private readonly reads: OutsideRead[] = [];
  private readonly effects: OutsideEffect[] = [];
  /** Pieces of outside state already read or changed: only a first read is the state before the walk. */
  private readonly touched = new Set<string>();
  abandoned = false;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly text: string,
    readonly ticksBefore: number,
  ) {}

  read(read: OutsideRead): void {
    if (this.abandoned) return;
    const key = touchKey(read);
    if (this.touched.has(key)) return;
    this.touched.add(key);
    this.reads.push(read);
  }

  /**
   * An effect; `touches` is the outside state it reads and changes (an addition to a variable reads
   * what the variable held), whose later reads are the walk's own doing.
   */
  effect(effect: OutsideEffect, touches?: OutsideRead): void {
    if (this.abandoned) return;
    if (touches) this.read(touches);
    this.effects.push(effect);
  }

  /**
   * An effect that replaces the outside state `replaced` names whatever it held (a handle or a
   * connection opened into a name): what it held is not read, and later reads are the walk's own doing.
   */
  replace(effect: OutsideEffect, replaced: OutsideRead): void {
    if (this.abandoned) return;
    this.touched.add(touchKey(replaced));
    this.effects.push(effect);
  }

  abandon(): void {
    this.abandoned = true;
    this.reads.length = 0;
    this.effects.length = 0;
  }

  finish(ticksAfter: number, summary: Summary): HelperWalk | undefined {
    if (this.abandoned) return undefined;
    return { start: this.start, end: this.end, text: this.text, ticks: ticksAfter - this.ticksBefore, reads: this.reads, effects: this.effects, summary };
  }
}

function touchKey(read: OutsideRead): string {
  return `${read.kind}\u0000${read.kind === 'written-file' ? read.key : read.name}`;
}

/**
 * Moves values recorded at the previous text's offsets across the edit to the current text's:
 * unit-relative offsets across `edit`, file offsets (labels, sinks, steps in the unit's file)
 * across the same edit placed at the unit's file offset. Undefined for anything that overlaps the
 * changed text. Labels are moved once each, so labels shared by recorded values stay shared.
 */
export class AcrossEdit {
  private readonly labels = new Map<TaintLabel, TaintLabel | null>();

  constructor(
    private readonly edit: TextEdit,
    private readonly base: number,
    private readonly file: string,
  ) {}

  /** A unit-relative offset pair moved across the edit. */
  span(start: number, end: number): { start: number; end: number } | undefined {
    return moveSpan(start, end, this.edit);
  }

  /** The unit-relative start the current text's span `start..end` had in the previous text, or undefined when it overlaps the edit. */
  previousStart(start: number, end: number): number | undefined {
    const { edit } = this;
    if (end <= edit.start) return start;
    if (start < edit.newEnd) return undefined;
    return start - (edit.newEnd - edit.oldEnd);
  }

  private fileSpan<T extends { readonly file: string; readonly start: number; readonly end: number }>(at: T): T | undefined {
    if (at.file !== this.file) return at;
    const moved = moveSpan(at.start - this.base, at.end - this.base, this.edit);
    if (!moved) return undefined;
    return moved.start + this.base === at.start ? at : { ...at, start: moved.start + this.base, end: moved.end + this.base };
  }

  label(label: TaintLabel): TaintLabel | undefined {
    const known = this.labels.get(label);
    if (known !== undefined) return known ?? undefined;
    const placed = this.fileSpan(label);
    const via = placed ? this.steps(label.via) : undefined;
    const moved = placed && via ? (placed === label && via === label.via ? label : { ...placed, via }) : undefined;
    this.labels.set(label, moved ?? null);
    return moved;
  }

  labelList(labels: readonly TaintLabel[]): readonly TaintLabel[] | undefined {
    return movedAll(labels, (label) => this.label(label));
  }

  steps(steps: readonly Step[]): readonly Step[] | undefined {
    return movedAll(steps, (step) => this.fileSpan(step));
  }

  sink(sink: SinkSite): SinkSite | undefined {
    return this.fileSpan(sink);
  }

  value(value: AbstractValue): AbstractValue | undefined {
    const labels = this.labelList(value.labels);
    if (!labels) return undefined;
    let parts: AbstractValue[] | undefined;
    if (value.parts) {
      parts = [];
      for (const part of value.parts) {
        const moved = this.value(part);
        if (!moved) return undefined;
        parts.push(moved);
      }
    }
    if (labels === value.labels && (!parts || parts.every((part, i) => part === value.parts?.[i]))) return value;
    return { ...value, labels, ...(parts ? { parts } : {}) };
  }

  summary(summary: Summary): Summary | undefined {
    const returns = this.value(summary.returns);
    if (!returns) return undefined;
    const paramSinks: ParamSink[] = [];
    for (const paramSink of summary.paramSinks) {
      const sink = this.sink(paramSink.sink);
      if (!sink) return undefined;
      paramSinks.push(sink === paramSink.sink ? paramSink : { ...paramSink, sink });
    }
    return { returns, paramSinks };
  }

  read(read: OutsideRead): OutsideRead | undefined {
    switch (read.kind) {
      case 'variable': {
        if (read.value === undefined) return read;
        const value = this.value(read.value);
        return value && { ...read, value };
      }
      case 'written-file': {
        if (read.labels === undefined) return read;
        const labels = this.labelList(read.labels);
        return labels && { ...read, labels };
      }
      case 'function': {
        if (read.defined === undefined) return read;
        const span = this.span(read.defined.start, read.defined.end);
        return span && { ...read, defined: { ...read.defined, ...span } };
      }
      case 'channel': {
        if (read.sink === undefined) return read;
        const sink = this.sink(read.sink);
        return sink && { ...read, sink };
      }
      default:
        return read;
    }
  }

  effect(effect: OutsideEffect): OutsideEffect | undefined {
    switch (effect.kind) {
      case 'add-variable': {
        const value = this.value(effect.value);
        return value && { ...effect, value };
      }
      case 'set-write-handle':
      case 'set-instance':
        return effect;
      case 'set-channel': {
        const sink = this.sink(effect.sink);
        return sink && { ...effect, sink };
      }
      case 'reach': {
        const value = this.value(effect.value);
        const sink = this.sink(effect.sink);
        const steps = this.steps(effect.steps);
        return value && sink && steps && { ...effect, value, sink, steps };
      }
      case 'read-file': {
        const span = this.span(effect.start, effect.end);
        return span && { ...effect, ...span };
      }
      case 'shell-command':
      case 'program-text':
      case 'bundle':
      case 'write-file': {
        const value = this.value(effect.value);
        const span = this.span(effect.start, effect.end);
        return value && span && { ...effect, value, ...span };
      }
    }
  }

  /** The whole walk moved across the edit, or undefined when any part of it overlaps the changed text. */
  walk(walk: HelperWalk): HelperWalk | undefined {
    const span = this.span(walk.start, walk.end);
    const summary = span && this.summary(walk.summary);
    if (!span || !summary) return undefined;
    const reads: OutsideRead[] = [];
    for (const read of walk.reads) {
      const moved = this.read(read);
      if (!moved) return undefined;
      reads.push(moved);
    }
    const effects: OutsideEffect[] = [];
    for (const effect of walk.effects) {
      const moved = this.effect(effect);
      if (!moved) return undefined;
      effects.push(moved);
    }
    return { ...walk, ...span, reads, effects, summary };
  }
}

/** Each item moved by `move`; the same array when none moved, undefined when one cannot be. */
function movedAll<T>(items: readonly T[], move: (item: T) => T | undefined): readonly T[] | undefined {
  let moved: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const placed = move(item);
    if (placed === undefined) return undefined;
    if (placed !== item && !moved) moved = items.slice(0, i);
    moved?.push(placed);
  }
  return moved ?? items;
}

function moveSpan(start: number, end: number, edit: TextEdit): { start: number; end: number } | undefined {
  if (end <= edit.start) return { start, end };
  if (start < edit.oldEnd) return undefined;
  const by = edit.newEnd - edit.oldEnd;
  return { start: start + by, end: end + by };
}

/** Whether two values are the same abstract value: labels in order, text, JSON, parameters and tuple parts. */
export function sameValue(a: AbstractValue | undefined, b: AbstractValue | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.params !== b.params || a.text !== b.text || a.json !== b.json || !sameLabels(a.labels, b.labels)) return false;
  if (a.parts === b.parts) return true;
  if (!a.parts || !b.parts || a.parts.length !== b.parts.length) return false;
  return a.parts.every((part, i) => sameValue(part, b.parts?.[i]));
}

export function sameLabels(a: readonly TaintLabel[] | undefined, b: readonly TaintLabel[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((label, i) => sameLabel(label, b[i] as TaintLabel));
}

function sameLabel(a: TaintLabel, b: TaintLabel): boolean {
  return (
    a === b ||
    (a.category === b.category &&
      a.description === b.description &&
      a.secretName === b.secretName &&
      a.file === b.file &&
      a.start === b.start &&
      a.end === b.end &&
      a.credentialContext === b.credentialContext &&
      a.inUrl === b.inUrl &&
      a.via.length === b.via.length &&
      a.via.every((step, i) => sameStep(step, b.via[i] as Step)))
  );
}

function sameStep(a: Step, b: Step): boolean {
  return a === b || (a.file === b.file && a.start === b.start && a.end === b.end && a.message === b.message);
}

/** Whether a recorded read (already moved across the edit) gives the same value as `current`, the state now. */
export function sameRead(recorded: OutsideRead, current: OutsideRead): boolean {
  switch (recorded.kind) {
    case 'variable':
      return current.kind === 'variable' && sameValue(recorded.value, current.value);
    case 'write-handle':
      return current.kind === 'write-handle' && recorded.path === current.path;
    case 'instance':
      return current.kind === 'instance' && recorded.className === current.className;
    case 'class':
      return current.kind === 'class' && recorded.defined === current.defined;
    case 'function':
      return current.kind === 'function' && sameShape(recorded.defined, current.defined);
    case 'written-file':
      return current.kind === 'written-file' && sameLabels(recorded.labels ?? [], current.labels ?? []);
    case 'assigned':
      return current.kind === 'assigned' && recorded.assigned === current.assigned;
    case 'channel':
      return current.kind === 'channel' && sameSink(recorded.sink, current.sink);
    case 'script-uses':
      return current.kind === 'script-uses' && recorded.uses === current.uses;
    case 'import-alias':
      return current.kind === 'import-alias' && recorded.full === current.full;
  }
}

function sameSink(a: SinkSite | undefined, b: SinkSite | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.description === b.description && a.file === b.file && a.start === b.start && a.end === b.end && a.host === b.host;
}

function sameShape(a: FunctionShape | undefined, b: FunctionShape | undefined): boolean {
  if (!a || !b) return a === b;
  return a.start === b.start && a.end === b.end && a.receiverOffset === b.receiverOffset && a.className === b.className && a.params.length === b.params.length && a.params.every((param, i) => param === b.params[i]);
}

/**
 * The walks recorded at the previous text, looked up by where a helper of the current text would
 * have been in it. Walks used (replayed) or made anew are collected for the next text.
 */
export class HelperReuse {
  private readonly byStart = new Map<number, HelperWalk>();
  private readonly across: AcrossEdit | undefined;
  readonly kept: HelperWalk[] = [];

  constructor(previous: HelperWalks | undefined, edit: TextEdit | undefined, base: number, file: string) {
    if (previous && edit && previous.base === base) {
      this.across = new AcrossEdit(edit, base, file);
      for (const walk of previous.walks) this.byStart.set(walk.start, walk);
    }
  }

  /** The previous text's walk of the helper now at `start..end` with `text`, moved to the current text. */
  previousWalk(start: number, end: number, text: () => string): HelperWalk | undefined {
    const across = this.across;
    const before = across?.previousStart(start, end);
    const walk = before === undefined ? undefined : this.byStart.get(before);
    if (!across || !walk || walk.end - walk.start !== end - start || walk.text !== text()) return undefined;
    // A walk is used at most once: a second helper at the same place cannot be.
    this.byStart.delete(before as number);
    return across.walk(walk);
  }

  keep(walk: HelperWalk): void {
    this.kept.push(walk);
  }
}
