import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEngine, loadSkillBundle, type Engine, type SkillBundle, type SourceFile, type TextDecoding, type UnanalysedFile } from '../../server/src/engine';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const RULES_DIR = path.join(REPO_ROOT, 'rules');
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

let enginePromise: Promise<Engine> | undefined;

/** One engine for the whole test run: loading grammars is the slow part. */
export function getEngine(): Promise<Engine> {
  enginePromise ??= createEngine({ assetsDir: DIST_DIR });
  return enginePromise;
}

export const DEFAULT_DIR_NAME = 'fixture-skill';

export function minimalSkillMd(name: string): string {
  return `---\nname: ${name}\ndescription: A fixture skill used by the tests. Use when testing.\n---\n\n# Fixture\n`;
}

/** An in-memory bundle; a minimal valid SKILL.md is added when the case gives none. */
export function bundleFromFiles(
  files: Readonly<Record<string, string>>,
  dirName = DEFAULT_DIR_NAME,
  unanalysed: readonly UnanalysedFile[] = [],
  decoded: Readonly<Record<string, TextDecoding>> = {},
): SkillBundle {
  const map = new Map<string, SourceFile>();
  if (files['SKILL.md'] === undefined) map.set('SKILL.md', { path: 'SKILL.md', text: minimalSkillMd(dirName) });
  for (const [filePath, text] of Object.entries(files)) {
    const decoding = decoded[filePath];
    map.set(filePath, decoding ? { path: filePath, text, decoding } : { path: filePath, text });
  }
  return { root: `/virtual/${dirName}`, dirName, files: map, unanalysed };
}

/** Writes files into a fresh temp skill folder and loads it through the real loader. */
export function bundleOnDisk(files: Readonly<Record<string, string>>, dirName = DEFAULT_DIR_NAME): SkillBundle {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'skill-sentinel-'));
  const root = path.join(base, dirName);
  const all = files['SKILL.md'] === undefined ? { 'SKILL.md': minimalSkillMd(dirName), ...files } : files;
  for (const [filePath, text] of Object.entries(all)) {
    const full = path.join(root, filePath);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  try {
    return loadSkillBundle(root);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}
