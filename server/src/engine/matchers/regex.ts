import { fieldText } from '../frontmatter';
import { polarityAt } from '../polarity';
import type { RegexMatcher } from '../rule-types';
import type { CodeUnit, FileModel } from '../skill-model';
import { globalRegex, satisfies, testRegex } from './regex-util';
import type { MatchContext, RawFinding } from './types';

interface Haystack {
  readonly file: FileModel;
  /** Text to search; offsets in it are `base` + index. */
  readonly text: string;
  readonly base: number;
}

/** Caps the matches one matcher reports per text, so a file of 100k repeats stays cheap. */
const MAX_MATCHES_PER_TEXT = 50;

export function runRegexMatcher(matcher: RegexMatcher, context: MatchContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const haystack of haystacks(matcher, context)) {
    if (Date.now() > context.deadline) break;
    if (matcher.requires !== undefined && !testRegex(matcher.requires, haystack.text, matcher.flags ?? '')) continue;
    const regex = globalRegex(matcher.pattern, matcher.flags);
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(haystack.text)) !== null) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const groups = match.groups ?? {};
      if (!whereHolds(matcher, groups)) continue;
      const span = match.indices?.groups?.finding ?? [match.index, match.index + match[0].length];
      const start = haystack.base + span[0];
      const end = haystack.base + span[1];
      if (matcher.unlessLine !== undefined) {
        const line = haystack.file.lines.lineText(haystack.file.lines.lineOf(start));
        if (testRegex(matcher.unlessLine, line, matcher.flags ?? '')) continue;
      }
      const captures: Record<string, string> = { match: match[0] };
      for (const [name, value] of Object.entries(groups)) if (value !== undefined) captures[name] = value;
      const polarity = matcher.polarity ? polarityAt(haystack.text, start - haystack.base) : 'affirmative';
      const lowered = polarity === 'affirmative' ? undefined : matcher.polarity?.[polarity];
      findings.push({ file: haystack.file.path, start, end, captures, ...(lowered ? { severity: lowered } : {}) });
      if (++count >= MAX_MATCHES_PER_TEXT) break;
    }
  }
  return findings;
}

function whereHolds(matcher: RegexMatcher, groups: Record<string, string | undefined>): boolean {
  if (!matcher.where) return true;
  for (const [name, constraint] of Object.entries(matcher.where)) {
    if (!satisfies(groups[name] ?? '', constraint)) return false;
  }
  return true;
}

function* haystacks(matcher: RegexMatcher, context: MatchContext): Generator<Haystack> {
  const { model, cache } = context;
  const target = matcher.target;
  if (target.startsWith('code:')) {
    const language = target.slice('code:'.length);
    for (const unit of model.units) {
      if (language !== 'any' && unit.language !== language) continue;
      if (matcher.origins && !matcher.origins.includes(unit.origin)) continue;
      yield unitHaystack(unit);
    }
    return;
  }
  if (target === 'file:any') {
    for (const file of model.files) yield { file, text: file.text, base: 0 };
    return;
  }
  if (target.startsWith('markdown:')) {
    for (const file of model.files) {
      if (!file.markdown) continue;
      switch (target) {
        case 'markdown:prose':
          yield { file, text: cache.masked(file, 'prose'), base: 0 };
          break;
        case 'markdown:instructions':
          yield { file, text: cache.masked(file, 'instructions'), base: 0 };
          break;
        case 'markdown:html-comment':
          for (const comment of file.markdown.comments) {
            yield { file, text: file.text.slice(comment.contentStart, comment.contentEnd), base: comment.contentStart };
          }
          break;
        case 'markdown:inline-code':
          for (const code of file.markdown.inlineCode) {
            yield { file, text: file.text.slice(code.contentStart, code.contentEnd), base: code.contentStart };
          }
          break;
        case 'markdown:link-url':
          for (const link of file.markdown.links) yield { file, text: link.url, base: link.urlStart };
          break;
        default:
          break;
      }
    }
    return;
  }
  const skillMd = model.skillMd;
  const frontmatter = skillMd?.frontmatter;
  if (!skillMd || !frontmatter?.present) return;
  if (target === 'frontmatter') {
    yield { file: skillMd, text: skillMd.text.slice(frontmatter.contentStart, frontmatter.contentEnd), base: frontmatter.contentStart };
    return;
  }
  const field = frontmatter.fields.get(target.slice('frontmatter:'.length));
  if (!field) return;
  const source = skillMd.text.slice(field.valueStart, field.valueEnd);
  // Plain scalars are searched as written so offsets stay exact; other shapes by their value.
  const text = typeof field.value === 'string' || source.length > 0 ? source : fieldText(field);
  yield { file: skillMd, text, base: field.valueStart };
}

function unitHaystack(unit: CodeUnit): Haystack {
  return { file: unit.file, text: unit.text, base: unit.start };
}
