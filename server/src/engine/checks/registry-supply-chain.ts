import type { Check } from './index';
import { internalPackagePublicRegistry } from './internal-package-public-registry';
import { packageTyposquat, skillNameTyposquat } from './package-typosquat';
import { packageInstallHook, packageJsonSources, pyprojectSources, requirementsFileSources } from './package-manifests';

/** Checks for names that imitate widely used packages and skills, or that a public registry could supply. */
export const SUPPLY_CHAIN_CHECKS: Readonly<Record<string, Check>> = {
  'package-typosquat': packageTyposquat,
  'skill-name-typosquat': skillNameTyposquat,
  'internal-package-public-registry': internalPackagePublicRegistry,
  'requirements-file-sources': requirementsFileSources,
  'package-json-sources': packageJsonSources,
  'pyproject-sources': pyprojectSources,
  'package-install-hook': packageInstallHook,
};
