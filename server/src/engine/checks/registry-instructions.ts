import type { Check } from './index';
import { instructionIntent } from './instruction-intent';

/** Procedural checks for the instruction rules (SKL3xx); each check lives in its own file. */
export const INSTRUCTION_CHECKS: Readonly<Record<string, Check>> = {
  'instruction-intent': instructionIntent,
};
