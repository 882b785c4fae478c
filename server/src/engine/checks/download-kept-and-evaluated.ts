import { escapeRegExp, globalRegex, mayMatch } from '../matchers/regex-util';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CheckOptions } from './index';

/**
 * A download kept in a variable and evaluated later, in a language the engine has no grammar for
 * and so no dataflow (Ruby, Perl, PHP, Lua, PowerShell): `code = URI.open(url).read` … `eval(code)`,
 * `$c = (New-Object Net.WebClient).DownloadString(url)` … `Invoke-Expression $c`.
 *
 * Options: `language` (the code units searched: `text` or `powershell`), `download` (a pattern for
 * the call that downloads), `evaluate` (a pattern for the evaluator, which is followed by the
 * variable, in parentheses or not), `sigil` (`$` when variables are written with one), `flags`.
 *
 * For each download (at most MAX_DOWNLOADS per unit), the variable assigned on its line before it
 * is looked for, and then its evaluation from the download to WINDOW_LINES lines below. A regex
 * with a back-reference could say the same, but would search from every assignment to the end of
 * its line; here each download's window is searched once.
 */
const MAX_DOWNLOADS = 50;
const WINDOW_LINES = 40;
/** How far back on its line an assignment is looked for. */
const MAX_ASSIGNMENT_PREFIX = 400;

export function downloadKeptAndEvaluated(context: MatchContext, options: CheckOptions): RawFinding[] {
  const language = typeof options.language === 'string' ? options.language : undefined;
  const download = typeof options.download === 'string' ? options.download : undefined;
  const evaluate = typeof options.evaluate === 'string' ? options.evaluate : undefined;
  if (!language || !download || !evaluate) return [];
  const flags = typeof options.flags === 'string' ? options.flags : '';
  const sigil = options.sigil === '$' ? '\\$' : '';
  const assignment = new RegExp(`(?:^|[^\\w@$.])${sigil}([A-Za-z_]\\w{0,40})\\s*=\\s*[^=]`, 'g');
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    if (unit.language !== language || !mayMatch(download, unit.text, flags)) continue;
    if (Date.now() > context.deadline) break;
    const downloads = globalRegex(download, flags);
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = downloads.exec(unit.text)) !== null && count++ < MAX_DOWNLOADS) {
      if (match[0].length === 0) downloads.lastIndex++;
      // Each window is searched once, but a window can be long lines: past the rule's time the
      // engine reports the rule as out of time.
      if (Date.now() > context.deadline) break;
      const text = unit.text;
      const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
      const prefix = text.slice(Math.max(lineStart, match.index - MAX_ASSIGNMENT_PREFIX), match.index);
      let name: string | undefined;
      for (const assigned of prefix.matchAll(assignment)) name = assigned[1];
      if (!name) continue;
      let windowEnd = match.index;
      for (let line = 0; line <= WINDOW_LINES && windowEnd !== -1; line++) windowEnd = text.indexOf('\n', windowEnd + 1);
      const window = text.slice(match.index + match[0].length, windowEnd === -1 ? text.length : windowEnd);
      const evaluation = new RegExp(`(?:${evaluate})\\s*(?:\\(\\s*)?${sigil}${escapeRegExp(name)}(?![\\w])`, flags.replace('g', '')).exec(window);
      if (!evaluation) continue;
      const start = unit.start + match.index + match[0].length + evaluation.index;
      findings.push({ file: unit.file.path, start, end: start + evaluation[0].length, captures: { finding: evaluation[0], match: evaluation[0] } });
    }
  }
  return findings;
}
