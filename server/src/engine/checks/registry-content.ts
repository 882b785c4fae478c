import type { Check } from './index';
import { allowedToolsBreadth } from './allowed-tools';
import { encodedLiteral } from './encoded-literal';
import { metadataStringMap, unknownFrontmatterKey } from './frontmatter-keys';
import { hiddenByPadding } from './hidden-by-padding';
import { homoglyph } from './homoglyph';
import { invisibleInFileName, invisibleUnicode } from './invisible-unicode';
import { pluginManifest } from './plugin-manifest';

/** Procedural checks for the content rules; each check lives in its own file beside this one. */
export const CONTENT_CHECKS: Readonly<Record<string, Check>> = {
  'invisible-unicode': invisibleUnicode,
  'invisible-in-file-name': invisibleInFileName,
  'encoded-literal': encodedLiteral,
  'hidden-by-padding': hiddenByPadding,
  homoglyph,
  'allowed-tools-breadth': allowedToolsBreadth,
  'unknown-frontmatter-key': unknownFrontmatterKey,
  'metadata-string-map': metadataStringMap,
  'plugin-manifest': pluginManifest,
};
