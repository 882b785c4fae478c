import { escapeHidden } from '../engine/display-text';

/**
 * A line of the text report as a terminal or a CI log should show it. Paths and values in it come
 * from the scanned folders, so a file name could hold a newline (forging report lines), escape
 * sequences (erasing the findings above it) or bidirectional controls (showing another name):
 * every such character is written as an escape. A line that would start with `::` (a skill folder
 * so named) is read by GitHub Actions as a workflow command, so it gets a `./` in front, which
 * names the same relative path.
 */
export function visibleLine(line: string): string {
  const escaped = escapeHidden(line);
  return /^\s*::/.test(escaped) ? `./${escaped}` : escaped;
}
