// Public surface of the engine. The implementation is filled in by engine.ts; this module only
// re-exports so that adapters (CLI, LSP server, benchmarks) depend on one stable import path.
export * from './types';
export { createEngine } from './engine';
export type { Engine, EngineOptions, RuleMeta } from './engine';
export { discoverSkills, holdsSkillMarker, loadSkillBundle, DEFAULT_LIMITS } from './skill-bundle';
export { isSkillMarkerName, primarySkillMarker } from './fs-entries';
export { gitStep, isGitDataPath } from './git-data';
export type { BundleLimits, DiscoveryResult, DiscoveryError } from './skill-bundle';
export {
  buildCapabilityInventory,
  capabilitiesOfBundle,
  capabilityValues,
  grantCovers,
  parseToolGrant,
} from './capabilities';
export type { ToolGrant } from './capabilities';
export * from './integrity';
