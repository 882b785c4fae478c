import { decodedFileName, searchHiddenPayloads, type HiddenPayload, type HidingKind } from './hidden-payloads';
import type { BuiltCommand } from './dataflow/core';
import type { LineOrigins } from './notebooks';
import type { SkillModel } from './skill-model';
import { severityRank, type Finding, type SkillBundle, type SkillReport, type Span } from './types';

/**
 * Re-scans what a skill hides in encoded or assembled literals with the same rules, and reports
 * each finding at the literal (issue: "decode … and scan what they contain"). The decoded text is
 * scanned as a one-file skill named after its language, so a base64 `curl … | sh` meets the
 * shell rules and a hex-encoded "ignore previous instructions" meets the instruction rules.
 */

/** Decoded text may itself hide text; one more level is followed, no further. */
export const MAX_HIDDEN_DEPTH = 2;

/** Rules about the skill as a whole (frontmatter, grants, analysis) mean nothing for a fragment. */
const FRAGMENT_CATEGORIES: ReadonlySet<string> = new Set(['instructions', 'execution', 'network', 'credentials', 'system', 'obfuscation']);

/** Findings below this are noise once the literal itself is already suspicious. */
const MIN_SEVERITY_RANK = severityRank('medium');

/**
 * A command in code that a config value carries runs inside whatever service reads the config,
 * not through the agent's shell tool, so neither `allowed-tools` nor the user's approval prompt
 * ever sees it: a medium command finding there is high.
 */
const APPROVAL_BYPASS_NOTE = ' The service that reads this value runs it, outside the agent\'s permission prompts and `allowed-tools`, so it is graded high.';

export type FragmentScan = (bundle: SkillBundle, depth: number) => SkillReport;

/**
 * `plain`: what the skill's own scan found. A rule that already fired inside the literal saw the
 * payload as written (a JSON value without escapes), so it is not reported a second time.
 */
export interface HiddenPayloadResult {
  readonly findings: Finding[];
  /** Why some payloads were not scanned, for the skill's partial-analysis finding; undefined when all were. */
  readonly partial?: string;
}

/** When the payloads are scanned: the skill's deadline, and the rule a scan names a partial analysis under. */
export interface PayloadBudget {
  readonly deadline: number;
  readonly budgetRuleId: string;
}

/**
 * `budget`: past the deadline, the payloads not yet scanned are counted as left out rather than
 * scanned with no time left, and a fragment whose scan reports a partial analysis counts too (its
 * budget finding would be dropped with the other analysis findings, and the payload pass unread).
 */
export function hiddenPayloadFindings(
  model: SkillModel,
  depth: number,
  scanFragment: FragmentScan,
  plain: readonly Finding[] = [],
  budget: PayloadBudget = { deadline: Infinity, budgetRuleId: '' },
  builtCommands: readonly BuiltCommand[] = [],
): HiddenPayloadResult {
  if (depth >= MAX_HIDDEN_DEPTH) return { findings: [] };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const search = searchHiddenPayloads(model);
  const leftOut = new Map(search.leftOut);
  let outOfTime = false;
  let partlyRead = false;
  for (const payload of [...search.payloads, ...commandPayloads(builtCommands, search.payloads)]) {
    const file = model.files.find((candidate) => candidate.path === payload.file);
    if (!file) continue;
    if (outOfTime || Date.now() > budget.deadline) {
      outOfTime = true;
      leftOut.set(payload.how, (leftOut.get(payload.how) ?? 0) + 1);
      continue;
    }
    const payloadSpan = file.lines.span(payload.start, payload.end);
    const report = scanFragment(fragmentBundle(model.bundle, payload), depth + 1);
    // The fragment was only partly analysed (out of the skill's time, or holding more payloads of
    // its own than are scanned): it counts as left out.
    if (report.findings.some((finding) => finding.ruleId === budget.budgetRuleId)) {
      partlyRead = true;
      leftOut.set(payload.how, (leftOut.get(payload.how) ?? 0) + 1);
      if (Date.now() > budget.deadline) outOfTime = true;
    }
    for (const finding of report.findings) {
      if (!FRAGMENT_CATEGORIES.has(finding.category) || severityRank(finding.severity) < MIN_SEVERITY_RANK) continue;
      const origin = payload.lines ? originOf(payload.lines, finding.span) : undefined;
      const span = origin ? file.lines.span(origin.start, origin.end) : payloadSpan;
      const key = `${finding.ruleId}:${payload.file}:${origin?.start ?? payload.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Seen as written already: that finding was graded with the context a fragment lacks (a
      // cleanup trap, the section it sits in), so it stands.
      // A link title is the exception: its quotes are Markdown syntax, not a quotation, so the
      // lower grade a quoted phrase gets does not stand against the title read as text.
      const covered = (other: Finding): boolean => payload.how !== 'link title' || severityRank(other.severity) >= severityRank(finding.severity);
      // A finding of the rule over the whole payload covers it too (`sh -c "$(curl …)"`, read as
      // written, and its command string, read as a command).
      const same = (other: Finding): boolean => other.ruleId === finding.ruleId && other.file === payload.file && (spanWithin(other.span, span) || spanWithin(span, other.span)) && covered(other);
      if (plain.some(same)) continue;
      const bypassesApproval = payload.how === 'json value' && finding.category === 'execution' && finding.severity === 'medium';
      const found: Finding = {
        ruleId: finding.ruleId,
        slug: finding.slug,
        category: finding.category,
        severity: bypassesApproval ? 'high' : finding.severity,
        message: `${lead(payload)}: ${finding.message}${bypassesApproval ? APPROVAL_BYPASS_NOTE : ''}`,
        file: payload.file,
        span,
      };
      // Two payloads around one place (a whole file read with its escapes resolved, and the call
      // in it that runs the dropper) report it once, at the narrower place unless that one is
      // graded lower.
      const earlier = findings.findIndex(same);
      if (earlier === -1) findings.push(found);
      else {
        const other = findings[earlier] as Finding;
        if (spanWithin(span, other.span) && !spanWithin(other.span, span) && severityRank(found.severity) >= severityRank(other.severity)) findings[earlier] = found;
      }
    }
  }
  return leftOut.size === 0 ? { findings } : { findings, partial: describeLeftOut(leftOut, search.leftOut.size > 0, outOfTime, partlyRead) };
}

/**
 * The commands the dataflow saw handed to a shell (`os.system(cmd)`, `run(f"…", shell=True)`,
 * `execSync(command)`), and the programs a shell command hands to a shell or an interpreter as
 * text (`echo "…" | bash`, `bash -c "$(printf …)"`), as code to scan. One whose text is written
 * out where it is run is already a payload of its own (`shell string`, `inline program`,
 * `here-document`), found without the dataflow and not capped in length.
 */
function commandPayloads(commands: readonly BuiltCommand[], found: readonly HiddenPayload[]): HiddenPayload[] {
  // The dataflow keeps the first few hundred characters of a text, with `*` for what it cannot
  // know: a payload over the same place whose text starts with what the dataflow knows is the same.
  const writtenOut = (command: BuiltCommand): boolean => {
    const known = command.text.replace(/\*+\s*$/, '').trim();
    return found.some((payload) => WRITTEN_OUT.has(payload.how) && payload.file === command.file && payload.start < command.end && command.start < payload.end && payload.text.trim().startsWith(known));
  };
  return commands
    .filter((command) => !writtenOut(command))
    .map((command) => ({ file: command.file, start: command.start, end: command.end, how: command.scanAs ? 'program text' : 'built command', text: command.text, scanAs: command.scanAs ?? 'command.sh' }));
}

const WRITTEN_OUT: ReadonlySet<HidingKind> = new Set(['shell string', 'inline program', 'here-document']);

function describeLeftOut(leftOut: ReadonlyMap<HidingKind, number>, overLimit: boolean, outOfTime: boolean, partlyRead: boolean): string {
  const total = [...leftOut.values()].reduce((sum, count) => sum + count, 0);
  const kinds = [...leftOut.entries()].map(([how, count]) => `${count} ${how}`).join(', ');
  const reasons = [
    ...(overLimit ? ['the skill holds more of them than are decoded and scanned'] : []),
    ...(outOfTime ? ['the time left to the skill ran out'] : []),
    ...(partlyRead && !outOfTime ? ['a decoded payload held more payloads of its own'] : []),
  ];
  return `${total} hidden ${total === 1 ? 'payload was' : 'payloads were'} not fully decoded and scanned (${kinds}): ${reasons.join('; ')}`;
}

/** The file range the finding's lines of an assembled payload came from. */
function originOf(lines: LineOrigins, span: Span): { start: number; end: number } | undefined {
  const first = lines[span.line - 1];
  const last = lines[span.endLine - 1] ?? first;
  return first && last ? { start: first.start, end: Math.max(first.end, last.end) } : undefined;
}

function spanWithin(inner: Span, outer: Span): boolean {
  const startsInside = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsInside = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsInside && endsInside;
}

/** How the finding's message opens: where the scanned text was found, and in what form. */
function lead(payload: HiddenPayload): string {
  switch (payload.how) {
    case 'base64':
      return 'Hidden in a base64 literal';
    case 'hex':
      return 'Hidden in a hex literal';
    case 'base32':
      return 'Hidden in a base32 literal';
    case 'reversed string':
      return 'Hidden in a string written backwards';
    case 'rot13':
      return 'Hidden in a string with its letters rotated (rot13)';
    case 'tool description':
      return 'In a tool description, which the agent reads as instructions when it calls the tool';
    case 'note to the agent':
      return 'In a note that a script or data file addresses to the agent';
    case 'split word':
      return 'With its lines joined where a backslash and line break cut a word in two';
    case 'character codes':
      return 'Hidden in a string spelled with character codes';
    case 'escape sequences':
      return 'Hidden in a run of escape sequences';
    case 'string pieces':
      return 'Hidden in a string cut into pieces';
    case 'json value':
      return 'Hidden in code carried by a JSON string value';
    case 'shell string':
      return 'In a command string handed to a shell';
    case 'invisible characters':
      return 'Behind invisible characters';
    case 'shell variables':
      return 'With its shell variables filled in';
    case 'inline program':
      return 'In a program given to an interpreter on its command line';
    case 'shell expansion':
      return 'With its shell expansions worked out';
    case 'shell quoting':
      return 'With the quotes inside its words removed';
    case 'identifier spelling':
      return 'With its names read as the language reads them (letters written as escapes or in fullwidth or mathematical forms)';
    case 'declared encoding':
      return 'In the code Python decodes this script to, from the source encoding it declares (the file shows other text)';
    case 'command list':
      return 'In the command this argument list runs';
    case 'command wrapper':
      return 'In the command its wrappers run';
    case 'built command':
      return 'In the command this call hands to a shell, as the script builds it';
    case 'program text':
      return 'In the program this command hands to a shell or an interpreter, as the script builds it';
    case 'here-document':
      return 'In a here-document a shell or an interpreter reads as its program';
    case 'link title':
      return 'In a link title, which rendered Markdown shows only on hover';
    case 'notebook cell':
      return 'In a notebook code cell';
    case 'look-alike letters':
      return 'With its look-alike Cyrillic or Greek letters read as the Latin ones they imitate';
  }
}

function fragmentBundle(bundle: SkillBundle, payload: HiddenPayload): SkillBundle {
  const path = payload.scanAs ?? decodedFileName(payload.text);
  return { root: bundle.root, dirName: bundle.dirName, files: new Map([[path, { path, text: payload.text }]]), unanalysed: [] };
}
