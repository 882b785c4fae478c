import type { MatchContext, RawFinding } from '../matchers/types';
import { parseSeverity, type Severity, type UnanalysedReason } from '../types';
import type { CheckOptions } from './index';

/**
 * A file the engine could not read is a finding, never a silent skip: an attacker can hide a
 * payload in whatever the scanner does not look at. The finding is placed at 1:1 of the file
 * itself (it has no analysable text to point into).
 */
export function unanalysedFile(context: MatchContext, options: CheckOptions): RawFinding[] {
  const severities = (options.severities ?? {}) as Partial<Record<UnanalysedReason, string>>;
  return context.model.bundle.unanalysed.map((file) => {
    const severity: Severity | undefined = parseSeverity(severities[file.reason] ?? '');
    return {
      file: file.path,
      start: 0,
      end: 0,
      message: `\`${file.path}\` was not analysed: ${file.detail}.`,
      ...(severity ? { severity } : {}),
    };
  });
}
