import type { Span } from './types';

/**
 * Maps string offsets (UTF-16 code units, which is what JS strings, `yaml` and web-tree-sitter
 * all report) to 1-based line/column positions. Line breaks are `\n`, `\r\n` and a lone `\r`,
 * the same set LSP clients use, so a file with lone CRs still gets the lines the editor shows.
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) {
        starts.push(i + 1);
      } else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 1-based line number of the line holding `offset`. */
  lineOf(offset: number): number {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    const start = this.lineStarts[line - 1] ?? 0;
    // An offset between the CR and the LF of a line break has no column of its own: it is the
    // line's end, so no span can point past the last column an editor shows.
    const clamped = Math.min(Math.max(0, Math.min(offset, this.text.length)), this.lineEnd(line));
    return { line, column: clamped - start + 1 };
  }

  span(startOffset: number, endOffset: number): Span {
    const start = this.position(startOffset);
    const end = this.position(Math.max(startOffset, endOffset));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))] ?? 0;
  }

  /** Offset just past the last character of a 1-based line, before its line break. */
  lineEnd(line: number): number {
    const next = this.lineStarts[line];
    if (next === undefined) return this.text.length;
    let end = next;
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  offsetAt(line: number, column: number): number {
    return Math.min(this.lineStart(line) + column - 1, this.text.length);
  }
}

export function spanContains(outer: Span, inner: Span): boolean {
  const startsAfter = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const endsBefore =
    inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}
