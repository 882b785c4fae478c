import type { MatchContext, RawFinding } from '../matchers/types';
import { parseSeverity, severityRank, type Severity, type SourceFile, type TextDecoding } from '../types';
import type { CheckOptions } from './index';

/** What can be odd about how a file was read, by the option that sets its severity. */
type DecodingKind = 'named-as-binary' | 'nul-bytes' | 'invalid-utf8' | 'utf16';

/**
 * A file the loader analysed as text although its bytes or its name say binary: NUL bytes or
 * bytes that are not UTF-8 (which make git, grep and many scanners skip a file that bash or node
 * still runs), UTF-16 text, or a binary format's extension on text. The content itself was
 * analysed like any other file; this reports the disguise, at the first odd character.
 */
export function disguisedText(context: MatchContext, options: CheckOptions): RawFinding[] {
  const severities = (options.severities ?? {}) as Partial<Record<DecodingKind, string>>;
  const findings: RawFinding[] = [];
  for (const file of context.model.bundle.files.values()) {
    const decoding = file.decoding;
    if (!decoding) continue;
    const kinds = kindsOf(decoding);
    if (kinds.length === 0) continue;
    const severity = kinds
      .map((kind) => parseSeverity(severities[kind] ?? ''))
      .reduce<Severity | undefined>((worst, next) => (next && (!worst || severityRank(next) > severityRank(worst)) ? next : worst), undefined);
    const at = firstOddCharacter(file);
    findings.push({
      file: file.path,
      start: at,
      end: at === file.text.length ? at : at + 1,
      message: `\`${file.path}\` ${describe(decoding)}; it was analysed as text anyway.`,
      ...(severity ? { severity } : {}),
    });
  }
  return findings;
}

function kindsOf(decoding: TextDecoding): DecodingKind[] {
  return [
    ...(decoding.namedAs ? (['named-as-binary'] as const) : []),
    ...(decoding.nulBytes > 0 ? (['nul-bytes'] as const) : []),
    ...(decoding.invalidSequences > 0 ? (['invalid-utf8'] as const) : []),
    ...(decoding.encoding ? (['utf16'] as const) : []),
  ];
}

function describe(decoding: TextDecoding): string {
  const parts = [
    ...(decoding.namedAs ? [`is named like ${decoding.namedAs} but holds text`] : []),
    ...(decoding.nulBytes > 0 ? [`holds ${count(decoding.nulBytes, 'NUL byte')}, which make git, grep and many scanners treat it as binary`] : []),
    ...(decoding.invalidSequences > 0 ? [`holds ${count(decoding.invalidSequences, 'byte sequence')} that ${decoding.invalidSequences === 1 ? 'is' : 'are'} not ${decoding.encoding ?? 'UTF-8'} (read as U+FFFD)`] : []),
    ...(decoding.encoding ? [`is ${decoding.encoding} text, which tools that expect UTF-8 do not read`] : []),
  ];
  return parts.join(', and ');
}

/** The first NUL or replacement character, else the start of the file. */
function firstOddCharacter(file: SourceFile): number {
  const nul = file.text.indexOf('\u0000');
  const replaced = file.text.indexOf('\ufffd');
  const found = [nul, replaced].filter((at) => at !== -1);
  return found.length > 0 ? Math.min(...found) : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
