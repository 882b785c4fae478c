import type { Check } from './index';

/** Procedural checks for the system rules; each check lives in its own file beside this one. */
export const SYSTEM_CHECKS: Readonly<Record<string, Check>> = {};
