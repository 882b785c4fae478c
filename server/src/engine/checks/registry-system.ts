import type { Check } from './index';
import { endlessLoop } from './endless-loop';
import { gitConfigCommands } from './git-config-commands';
import { sensitiveFileWrite } from './sensitive-file-write';

/** Procedural checks for the system rules; each check lives in its own file beside this one. */
export const SYSTEM_CHECKS: Readonly<Record<string, Check>> = {
  'sensitive-file-write': sensitiveFileWrite,
  'endless-loop': endlessLoop,
  'git-config-commands': gitConfigCommands,
};
