import type { Check } from './index';
import { instructionIntent } from './instruction-intent';
import { instructionSendsTaintedFile } from './instruction-sends-tainted-file';

/** Procedural checks for the instruction rules (SKL3xx); each check lives in its own file. */
export const INSTRUCTION_CHECKS: Readonly<Record<string, Check>> = {
  'instruction-intent': instructionIntent,
  'instruction-sends-tainted-file': instructionSendsTaintedFile,
};
