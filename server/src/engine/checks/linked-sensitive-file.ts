import { classifyPath } from '../dataflow/labels';
import type { MatchContext, RawFinding } from '../matchers/types';
import { parseSeverity } from '../types';
import type { CheckOptions } from './index';

/**
 * A file of the skill that is a symbolic link to a key or credential file (`references/notes.md`
 * → `~/.ssh/id_rsa`): the link is never followed, but an agent told to read, attach or upload the
 * harmless-looking name reads the key. The target is classified as the link spells it and as it
 * resolves (`../../.env`, `/home/bob/.aws/credentials`). `severities` maps the target's category
 * (`credential-file`, `dotenv`) to a severity; other categories are not reported.
 */
export function linkedSensitiveFile(context: MatchContext, options: CheckOptions): RawFinding[] {
  const severities = (options.severities ?? {}) as Partial<Record<string, string>>;
  const findings: RawFinding[] = [];
  for (const file of context.model.bundle.unanalysed) {
    if (file.reason !== 'symlink' || file.linkTarget === undefined) continue;
    const source = classifyPath(file.linkTarget) ?? classifyPath(file.linkResolved);
    const severity = source ? parseSeverity(severities[source.category] ?? '') : undefined;
    if (!source || !severity) continue;
    findings.push({
      file: file.path,
      start: 0,
      end: 0,
      severity,
      captures: { target: file.linkTarget.slice(0, 200), what: source.description },
    });
  }
  return findings;
}
