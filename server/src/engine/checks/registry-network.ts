import type { Check } from './index';

/** Procedural checks for the network rules; each check lives in its own file beside this one. */
export const NETWORK_CHECKS: Readonly<Record<string, Check>> = {};
