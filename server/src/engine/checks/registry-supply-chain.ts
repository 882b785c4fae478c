import type { Check } from './index';
import { packageTyposquat, skillNameTyposquat } from './package-typosquat';

/** Checks for names that imitate widely used packages and skills. */
export const SUPPLY_CHAIN_CHECKS: Readonly<Record<string, Check>> = {
  'package-typosquat': packageTyposquat,
  'skill-name-typosquat': skillNameTyposquat,
};
