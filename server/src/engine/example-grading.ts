import { roleAt } from './instructions/roles';
import type { FileModel, SkillModel } from './skill-model';
import type { Finding, Severity } from './types';

/**
 * Code shown as an example of what not to do is not an instruction to do it. A finding inside a
 * Markdown fence or inline code whose section is labelled as warnings or attack examples ("Don'ts",
 * "Command Injection", "Red flags"), or whose lead-in line says so ("Vulnerable:", "What to look
 * for:", "Never do this:"), is graded one level lower and says why. It is never dropped: a quoted
 * payload still shows, and a critical one stays high.
 *
 * Instruction rules grade polarity themselves; frontmatter, permission and analysis findings are
 * not about example code.
 */

const EXAMPLE_CATEGORIES: ReadonlySet<string> = new Set(['execution', 'network', 'credentials', 'system', 'obfuscation']);

/** A short line ending in a colon that introduces bad, discouraged or hostile code. */
const WARNING_LEAD_IN =
  /\b(?:what\s+to\s+(?:look|watch)\s+(?:for|out\s+for)|vulnerable|insecure|unsafe|dangerous|bad|wrong|incorrect|don'?t|do\s+not|never|avoid|not\s+recommended|discouraged|anti-?pattern|attack(?:er)?|malicious|exploit(?:able)?|red\s+flag)\b[^\n]{0,80}:\s{0,4}(?:\*\*|__)?\s{0,4}$/i;

const LOWER: Readonly<Record<Severity, Severity>> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };

export function gradeQuotedExamples(model: SkillModel, findings: readonly Finding[]): Finding[] {
  const markdownFiles = new Map(model.files.filter((file) => file.markdown).map((file) => [file.path, file] as const));
  if (markdownFiles.size === 0) return [...findings];
  return findings.map((finding) => {
    if (!EXAMPLE_CATEGORIES.has(finding.category) || finding.severity === 'low' || finding.severity === 'info') return finding;
    const file = markdownFiles.get(finding.file);
    if (!file) return finding;
    const offset = file.lines.offsetAt(finding.span.line, finding.span.column);
    const marked = isMarkedExample(file, offset);
    if (!marked) return finding;
    // A command named inside a sentence that forbids or quotes it is a mention, graded as the
    // instruction rules grade a negated sentence.
    if (marked === 'inline-mention') {
      return {
        ...finding,
        severity: 'low',
        message: `${finding.message} (Graded low: this command is named in a sentence the text phrases as a prohibition or a quotation.)`,
      };
    }
    return {
      ...finding,
      severity: LOWER[finding.severity],
      message: `${finding.message} (Graded one level lower: this code sits in an example the text marks as an attack or as what not to do.)`,
    };
  });
}

function isMarkedExample(file: FileModel, offset: number): false | 'example' | 'inline-mention' {
  const markdown = file.markdown;
  if (!markdown) return false;
  const fence = markdown.fences.find((candidate) => offset >= candidate.start && offset < candidate.end);
  const inline = fence ? undefined : markdown.inlineCode.find((candidate) => offset >= candidate.start && offset < candidate.end);
  if (!fence && !inline) return false;
  // Quotes inside a command (`sh -c "…"`) say nothing about the sentence: read it where the span opens.
  const role = roleAt(file, inline ? inline.start : offset);
  if (role.polarity !== 'affirmative') return inline ? 'inline-mention' : 'example';
  return fence !== undefined && WARNING_LEAD_IN.test(leadIn(file.text, fence.start)) ? 'example' : false;
}

/** The last non-blank line before `start`, within a few lines. */
function leadIn(text: string, start: number): string {
  let end = start;
  for (let lines = 0; lines < 3 && end > 0; lines++) {
    const lineEnd = text.lastIndexOf('\n', end - 1);
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    if (lineEnd < 0) return '';
    const line = text.slice(lineStart, lineEnd).slice(0, 300);
    if (line.trim() !== '') return line;
    end = lineStart;
  }
  return '';
}
