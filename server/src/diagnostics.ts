/**
 * Finding → LSP Diagnostic. This is the only module that converts the engine's 1-based spans into
 * LSP's 0-based ranges (code-actions.ts reuses `spanToRange`), so an off-by-one can live in one
 * place only. Pure: unit-tested on plain Node.
 */
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { RuleMeta } from './engine';
import type { Finding, Severity, SkillReport, Span } from './engine/types';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';

/** Engine span (1-based lines and UTF-16 columns, exclusive end) → LSP range (0-based). */
export function spanToRange(span: Span): Range {
  const line = Math.max(0, span.line - 1);
  const character = Math.max(0, span.column - 1);
  let endLine = Math.max(0, span.endLine - 1);
  let endCharacter = Math.max(0, span.endColumn - 1);
  // A malformed span must not produce an inverted range, which VS Code rejects outright.
  if (endLine < line || (endLine === line && endCharacter < character)) {
    endLine = line;
    endCharacter = character;
  }
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

/** critical/high block the skill, medium deserves a look, low and info are advice. */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'critical':
    case 'high':
      return DiagnosticSeverity.Error;
    case 'medium':
      return DiagnosticSeverity.Warning;
    case 'low':
      return DiagnosticSeverity.Information;
    case 'info':
      return DiagnosticSeverity.Hint;
  }
}

/** `file:` URI of a file given relative to the skill folder (posix, as the engine reports it). */
export function skillFileUri(skillRoot: string, relPath: string): string {
  return URI.file(path.join(skillRoot, ...relPath.split('/'))).toString();
}

export interface ConversionContext {
  /** Absolute path of the skill folder. */
  readonly skillRoot: string;
  /** Rule metadata by id, for `codeDescription`. */
  readonly rules: ReadonlyMap<string, RuleMeta>;
  /** Whether the client declared `relatedInformation` support. */
  readonly relatedInformation: boolean;
}

export function findingToDiagnostic(finding: Finding, context: ConversionContext): Diagnostic {
  const meta = context.rules.get(finding.ruleId);
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    slug: finding.slug,
    skillUri: URI.file(context.skillRoot).toString(),
    ...(finding.fix ? { fix: finding.fix } : {}),
  };
  const diagnostic: Diagnostic = {
    range: spanToRange(finding.span),
    severity: toLspSeverity(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: finding.message,
    data,
  };
  if (meta?.docsUrl) diagnostic.codeDescription = { href: meta.docsUrl };
  if (context.relatedInformation && finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (related): DiagnosticRelatedInformation => ({
        location: { uri: skillFileUri(context.skillRoot, related.file), range: spanToRange(related.span) },
        message: related.message,
      }),
    );
  }
  return diagnostic;
}

/** Diagnostics per file URI for one skill report; files without findings are absent. */
export function reportToDiagnostics(report: SkillReport, context: ConversionContext): Map<string, Diagnostic[]> {
  const byUri = new Map<string, Diagnostic[]>();
  for (const finding of report.findings) {
    const uri = skillFileUri(context.skillRoot, finding.file);
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push(findingToDiagnostic(finding, context));
  }
  return byUri;
}
