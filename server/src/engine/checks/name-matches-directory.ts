import type { MatchContext, RawFinding } from '../matchers/types';

/** The spec (and VS Code) require `name` to equal the skill's folder name; VS Code skips a mismatch. */
export function nameMatchesDirectory(context: MatchContext): RawFinding[] {
  const skillMd = context.model.skillMd;
  const field = skillMd?.frontmatter?.fields.get('name');
  if (!skillMd || !field || typeof field.value !== 'string') return [];
  const directory = context.model.bundle.dirName;
  if (field.value === directory) return [];
  const span = skillMd.lines.span(field.valueStart, field.valueEnd);
  return [
    {
      file: skillMd.path,
      start: field.valueStart,
      end: field.valueEnd,
      captures: { name: field.value, directory },
      fix: {
        title: `Set \`name\` to \`${directory}\``,
        edits: [{ file: skillMd.path, span, newText: /^[a-z0-9-]+$/.test(directory) ? directory : JSON.stringify(directory) }],
      },
    },
  ];
}
