import type { Check } from './index';

/** Procedural checks for the credentials rules; each check lives in its own file beside this one. */
export const CREDENTIAL_CHECKS: Readonly<Record<string, Check>> = {};
