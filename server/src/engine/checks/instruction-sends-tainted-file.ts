import { analyseSkill, type TaintLabel } from '../dataflow';
import type { MatchContext, RawFinding } from '../matchers/types';
import { polarityInSegment, segmentsOf } from '../instructions/roles';
import type { CheckOptions } from './index';

/**
 * The cross-file half that the scripts alone do not show: a script writes secrets or private
 * data into a file (`report.md`), and a step of SKILL.md or a reference file tells the agent to
 * publish, attach, upload or send that file. The step is reported at the file's name, with the
 * write and the read it came from as related locations. A negated or quoted step is low.
 */

const SEND_STEP = /(?<![\w-])(?:send|sends|upload|uploads|post|posts|publish|publishes|share|shares|attach|attaches|e-?mail|forward|forwards|submit|paste|push|commit|include|includes|embed|add)\b/i;
/** Where a step puts the file: somewhere others read it. */
const OUTWARD = /(?<![\w-])(?:send|upload|post|publish|share|e-?mail|forward|submit|push)\w{0,3}\b|\b(?:release\s+notes|pull\s+request|PR\b|issue|gist|wiki|site|page|channel|slack|discord|ticket|comment|changelog|readme|docs?\b|documentation|repository|repo\b|web\s?hook|server|endpoint|https?:\/\/)/i;
const MAX_FINDINGS = 10;
const MAX_SEGMENTS = 4000;

interface TaintedFile {
  readonly name: string;
  readonly path: string;
  readonly labels: readonly TaintLabel[];
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export function instructionSendsTaintedFile(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const tainted = taintedFiles(context);
  if (tainted.length === 0) return [];
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (!file.markdown || findings.length >= MAX_FINDINGS) continue;
    for (const segment of segmentsOf(file).slice(0, MAX_SEGMENTS)) {
      if (findings.length >= MAX_FINDINGS || Date.now() > context.deadline) break;
      if (segment.role === 'fence' || !SEND_STEP.test(segment.text) || !OUTWARD.test(segment.text)) continue;
      for (const target of tainted) {
        const at = wordIndex(segment.text, target.name);
        if (at < 0) continue;
        const polarity = polarityInSegment(segment, at);
        const what = describe(target.labels);
        const label = target.labels[0];
        findings.push({
          file: file.path,
          start: segment.start + at,
          end: segment.start + at + target.name.length,
          severity: polarity === 'affirmative' ? (target.labels.some((l) => l.category !== 'privacy') ? 'critical' : 'high') : 'low',
          message: `This step publishes \`${target.name}\`, which \`${target.file}\` fills with ${what}, so the instructions and the script together move it off the machine.${polarity === 'affirmative' ? '' : ' It is phrased as a prohibition or an example, so it is graded lower.'}`,
          related: [
            { file: target.file, start: target.start, end: target.end, message: `${capitalise(what)} is written into \`${target.path}\` here.` },
            ...(label ? [{ file: label.file, start: label.start, end: label.end, message: `${capitalise(label.description)} is read here.` }] : []),
          ],
        });
        break;
      }
    }
  }
  return findings;
}

/** Files a script writes with sensitive data in them, by the name a Markdown step would use. */
function taintedFiles(context: MatchContext): TaintedFile[] {
  const out: TaintedFile[] = [];
  for (const analysis of analyseSkill(context).units.values()) {
    for (const write of analysis.writes) {
      const labels = write.labels.filter((label) => label.category !== 'download' && label.category !== 'caller-input');
      const name = write.path.replace(/\\/g, '/').replace(/^.*\//, '');
      // A name short or generic enough to appear in any sentence is no evidence.
      if (labels.length === 0 || name.length < 5 || !/\./.test(name) || name.includes('*')) continue;
      out.push({ name, path: write.path, labels, file: write.file, start: write.start, end: write.end });
      if (out.length >= 20) return out;
    }
  }
  return out;
}

/** Index of `name` in `text` as a whole token (not inside a longer file name), or -1. */
function wordIndex(text: string, name: string): number {
  let from = 0;
  for (let tries = 0; tries < 20; tries++) {
    const at = text.indexOf(name, from);
    if (at < 0) return -1;
    const before = text[at - 1] ?? ' ';
    const after = text[at + name.length] ?? ' ';
    if (!/[\w.-]/.test(before) && !/[\w-]/.test(after)) return at;
    from = at + 1;
  }
  return -1;
}

function describe(labels: readonly TaintLabel[]): string {
  const names = [...new Set(labels.map((label) => label.description))];
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and more`;
}

function capitalise(text: string): string {
  return text.length > 0 ? `${(text[0] ?? '').toUpperCase()}${text.slice(1)}` : text;
}
