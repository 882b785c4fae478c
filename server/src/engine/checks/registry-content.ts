import type { Check } from './index';

/** Procedural checks for the content rules; each check lives in its own file beside this one. */
export const CONTENT_CHECKS: Readonly<Record<string, Check>> = {};
