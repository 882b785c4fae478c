/**
 * The workspace baseline (`skill-sentinel.baseline.json` at the workspace folder root) in the
 * editor: which findings of a skill it accepts, matched exactly as `skill-sentinel scan
 * --baseline` matches them (BaselineMatcher, findingEvidence). No LSP imports.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BASELINE_NAME,
  BaselineFileError,
  BaselineMatcher,
  findingEvidence,
  parseBaseline,
  skillKey,
  type BaselineFile,
  type SkillBundle,
} from './engine';
import type { LineIndex } from './engine/positions';
import type { SuppressionLookup } from './integrity-diagnostics';

export type BaselineState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly baseline: BaselineFile }
  | { readonly kind: 'error'; readonly message: string };

export function baselinePathFor(workspaceFolder: string): string {
  return path.join(workspaceFolder, BASELINE_NAME);
}

export function loadBaselineState(baselinePath: string): BaselineState {
  let text: string;
  try {
    text = fs.readFileSync(baselinePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: `it cannot be read (${code ?? String(error)})` };
  }
  try {
    return { kind: 'ok', baseline: parseBaseline(text) };
  } catch (error) {
    if (error instanceof BaselineFileError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** Looks up a skill's findings in the baseline; keys are relative to the baseline's folder. */
export function baselineSuppressions(baseline: BaselineFile, baselineFolder: string, bundle: SkillBundle, now: Date): SuppressionLookup {
  const matcher = new BaselineMatcher(baseline, now);
  const key = skillKey(baselineFolder, bundle.root);
  const lineIndexes = new Map<string, LineIndex>();
  return (finding) => {
    const entry = matcher.match(key, finding, findingEvidence(bundle, finding, lineIndexes));
    if (entry === undefined) return undefined;
    return { reason: entry.reason, ...(entry.expires === undefined ? {} : { expires: entry.expires }) };
  };
}
