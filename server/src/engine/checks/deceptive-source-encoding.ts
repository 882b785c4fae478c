import type { MatchContext, RawFinding } from '../matchers/types';
import { deceptiveDeclaration } from '../source-encoding';
import type { CheckOptions } from './index';

/**
 * A Python script that declares a source encoding which turns ASCII into other code (UTF-7,
 * `unicode_escape`, `raw_unicode_escape`): what the file shows is not what runs. Reported at the
 * declaration; the code it decodes to is scanned as a hidden payload like any other.
 */
export function deceptiveSourceEncoding(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const file of context.model.files) {
    if (file.kind !== 'script' || file.language !== 'python') continue;
    const declaration = deceptiveDeclaration(file.text);
    if (declaration) findings.push({ file: file.path, start: declaration.start, end: declaration.end, captures: { encoding: declaration.encoding } });
  }
  return findings;
}
