import type { Check } from './index';
import { configFilePattern } from './config-file-pattern';
import { downloadKeptAndEvaluated } from './download-kept-and-evaluated';
import { downloadThenExecute } from './download-then-execute';
import { markdownLinkPattern } from './markdown-link-pattern';

/** Procedural checks for the network rules; each check lives in its own file beside this one. */
export const NETWORK_CHECKS: Readonly<Record<string, Check>> = {
  'config-file-pattern': configFilePattern,
  'download-kept-and-evaluated': downloadKeptAndEvaluated,
  'download-then-execute': downloadThenExecute,
  'markdown-link-pattern': markdownLinkPattern,
};
