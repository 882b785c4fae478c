import type { Check } from './index';
import { allowedToolsMalformedGrant, allowedToolsUncoveredCommand, allowedToolsUnusedGrant } from './allowed-tools-coverage';
import { readOnlyPurposeDestroys } from './read-only-purpose-destroys';
import { undeclaredCapability } from './undeclared-capability';

/** Procedural checks for the least-privilege rules; `allowed-tools-breadth` stays in registry-content. */
export const PERMISSION_CHECKS: Readonly<Record<string, Check>> = {
  'undeclared-capability': undeclaredCapability,
  'read-only-purpose-destroys': readOnlyPurposeDestroys,
  'allowed-tools-uncovered-command': allowedToolsUncoveredCommand,
  'allowed-tools-unused-grant': allowedToolsUnusedGrant,
  'allowed-tools-malformed-grant': allowedToolsMalformedGrant,
};
