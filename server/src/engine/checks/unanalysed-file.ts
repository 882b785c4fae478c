import type { MatchContext, RawFinding } from '../matchers/types';
import { parseSeverity, type Severity, type UnanalysedReason } from '../types';
import { isCodeOrInstructions } from '../skill-model';
import type { CheckOptions } from './index';

/** Reasons that say nothing about the content: a limit left the file out. */
const LIMIT_REASONS: ReadonlySet<UnanalysedReason> = new Set(['too-large', 'skill-size-limit', 'file-count-limit']);

/**
 * A file the engine could not read is a finding, never a silent skip: an attacker can hide a
 * payload in whatever the scanner does not look at. The finding is placed at 1:1 of the file
 * itself (it has no analysable text to point into). A script or instructions (SKILL.md,
 * Markdown, text) left out by a size or count limit, or linked from outside the skill folder,
 * take `codeSeverity`: padding a dropper or an injection past the limit, or keeping it outside the
 * folder, must not pass as medium.
 */
export function unanalysedFile(context: MatchContext, options: CheckOptions): RawFinding[] {
  const severities = (options.severities ?? {}) as Partial<Record<UnanalysedReason, string>>;
  const codeSeverity = typeof options.codeSeverity === 'string' ? parseSeverity(options.codeSeverity) : undefined;
  return context.model.bundle.unanalysed.map((file) => {
    const leftOut = LIMIT_REASONS.has(file.reason) || (file.reason === 'symlink' && file.leavesSkill === true);
    const isCode = leftOut && isCodeOrInstructions(file.path, file.shebang ?? '');
    const severity: Severity | undefined = (isCode ? codeSeverity : undefined) ?? parseSeverity(severities[file.reason] ?? '');
    return {
      file: file.path,
      start: 0,
      end: 0,
      message: `\`${file.path}\` was not analysed: ${file.detail}.`,
      ...(severity ? { severity } : {}),
    };
  });
}
