/** The first line of a node's text for a message, cut at `max` characters with an ellipsis. */
export function firstLine(text: string, max: number): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
