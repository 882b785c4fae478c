import type { MatchContext, RawFinding } from '../matchers/types';
import { frontmatterStructure } from './frontmatter-structure';
import { nameMatchesDirectory } from './name-matches-directory';
import { sensitiveDataSentOut } from './sensitive-data-sent-out';
import { unanalysedFile } from './unanalysed-file';
import { disguisedText } from './disguised-text';
import { deceptiveSourceEncoding } from './deceptive-source-encoding';
import { CREDENTIAL_CHECKS } from './registry-credentials';
import { NETWORK_CHECKS } from './registry-network';
import { SYSTEM_CHECKS } from './registry-system';
import { CONTENT_CHECKS } from './registry-content';
import { INSTRUCTION_CHECKS } from './registry-instructions';
import { PERMISSION_CHECKS } from './registry-permissions';
import { SUPPLY_CHAIN_CHECKS } from './registry-supply-chain';
import { DATAFLOW_CHECKS } from './registry-dataflow';

export type CheckOptions = Readonly<Record<string, unknown>>;
export type Check = (context: MatchContext, options: CheckOptions) => RawFinding[];

/** Procedural checks that rules name with `kind: check`. One file per check. */
export const CHECKS: Readonly<Record<string, Check>> = {
  'frontmatter-structure': frontmatterStructure,
  'name-matches-directory': nameMatchesDirectory,
  'unanalysed-file': unanalysedFile,
  'disguised-text': disguisedText,
  'deceptive-source-encoding': deceptiveSourceEncoding,
  'sensitive-data-sent-out': sensitiveDataSentOut,
  // The engine itself reports budget overruns under the rule that names this check.
  'analysis-budget': () => [],
  // The language server reports drift from the lock file (integrity-diagnostics.ts) under the
  // rule that names this check; a scan alone cannot know the lock.
  'lock-drift': () => [],
  ...CREDENTIAL_CHECKS,
  ...NETWORK_CHECKS,
  ...SYSTEM_CHECKS,
  ...CONTENT_CHECKS,
  ...PERMISSION_CHECKS,
  ...INSTRUCTION_CHECKS,
  ...SUPPLY_CHAIN_CHECKS,
  ...DATAFLOW_CHECKS,
};
