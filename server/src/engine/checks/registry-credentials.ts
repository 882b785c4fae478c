import type { Check } from './index';
import { linkedSensitiveFile } from './linked-sensitive-file';
import { pathLiteralInStatement } from './path-literal-in-statement';
import { secretVariableHarvest } from './secret-variable-harvest';

/** Procedural checks for the credentials rules; each check lives in its own file beside this one. */
export const CREDENTIAL_CHECKS: Readonly<Record<string, Check>> = {
  'path-literal-in-statement': pathLiteralInStatement,
  'secret-variable-harvest': secretVariableHarvest,
  'linked-sensitive-file': linkedSensitiveFile,
};
