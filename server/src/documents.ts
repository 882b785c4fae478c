/**
 * Which skill a file belongs to, and the open editors' unsaved text laid over what is on disk.
 * Pure apart from the injected `holdsMarker` probe, so the unit tests can use a fake file system.
 */
import * as path from 'node:path';
import { holdsSkillMarker, isGitDataPath, isSkillMarkerName } from './engine';
import type { SkillBundle, SourceFile, UnanalysedFile } from './engine/types';
/** The bundle loader never enters these; an open file inside one is not part of the skill. */
const SKIPPED_SEGMENT = 'node_modules';
/** Bounds the upward walk for files outside every workspace folder. */
const MAX_WALK_UP = 32;

/** Whether the file is a skill's SKILL.md by its name, in any letter case (as the engine's discovery). */
export function isSkillMarker(filePath: string): boolean {
  return isSkillMarkerName(path.basename(filePath));
}

/** Whether `child` is `parent` or lies below it. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The nearest folder at or above the file's folder that holds a SKILL.md (the same rule as the
 * engine's discovery, so nested skills are separate). The walk stops at the workspace folder that
 * contains the file, so a SKILL.md in a parent of the workspace never captures its files.
 */
export function findSkillRoot(
  filePath: string,
  workspaceFolders: readonly string[],
  holdsMarker: (folder: string) => boolean = holdsSkillMarker,
): string | undefined {
  if (isSkillMarker(filePath)) return path.dirname(filePath);
  const boundary = workspaceFolders
    .filter((folder) => isInside(folder, filePath))
    .sort((a, b) => b.length - a.length)[0];
  let current = path.dirname(filePath);
  // Inside a `.git` folder, as in the loader: git's own data belongs to no skill, and a SKILL.md
  // there makes no skill (discovery never enters it); what else it holds is the enclosing skill's.
  const folders = current.split(path.sep);
  const gitAt = folders.indexOf('.git');
  if (gitAt >= 0) {
    const outsideGit = folders.slice(0, gitAt).join(path.sep) || path.sep;
    if (isGitDataPath(path.relative(outsideGit, filePath).split(path.sep).join('/'))) return undefined;
    current = outsideGit;
  }
  for (let steps = 0; steps < MAX_WALK_UP; steps++) {
    // A skill folder may itself be named node_modules (discovery takes it); below one, packages are no skill's.
    if (holdsMarker(current)) return current;
    if (path.basename(current) === SKIPPED_SEGMENT) return undefined;
    if (boundary !== undefined && current === boundary) return undefined;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** Posix path of `filePath` relative to `root`, or undefined when outside it. */
export function relativePosix(root: string, filePath: string): string | undefined {
  if (!isInside(root, filePath)) return undefined;
  return path.relative(root, filePath).split(path.sep).join('/');
}

export interface OpenText {
  /** Absolute file path. */
  readonly path: string;
  readonly text: string;
}

/** Unanalysed reasons that editor text may replace; size and link limits stay in force. */
const REPLACEABLE: ReadonlySet<UnanalysedFile['reason']> = new Set(['too-large', 'utf32']);

/**
 * The bundle with open documents' text in place of the disk text. Only documents whose own skill
 * is this bundle's root should be passed. A document is not overlaid when it lies in a skipped
 * folder, is a symlink or fell past the skill-wide limits on disk, or is larger than
 * `maxFileBytes`: the editor must not let an unsaved buffer bypass the engine's bounds.
 */
export function overlayOpenDocuments(bundle: SkillBundle, open: Iterable<OpenText>, maxFileBytes: number): SkillBundle {
  let files: Map<string, SourceFile> | undefined;
  let unanalysed: UnanalysedFile[] | undefined;
  for (const doc of open) {
    const rel = relativePosix(bundle.root, doc.path);
    if (rel === undefined || rel === '') continue;
    if (rel.split('/').includes(SKIPPED_SEGMENT) || isGitDataPath(rel)) continue;
    const skipped = bundle.unanalysed.find((entry) => entry.path === rel);
    if (skipped && !REPLACEABLE.has(skipped.reason)) continue;
    if (Buffer.byteLength(doc.text, 'utf8') > maxFileBytes) continue;
    if (bundle.files.get(rel)?.text === doc.text && !skipped) continue;
    files ??= new Map(bundle.files);
    // How the file on disk was decoded still holds: its bytes are what the agent would read.
    const decoding = bundle.files.get(rel)?.decoding;
    files.set(rel, decoding ? { path: rel, text: doc.text, decoding } : { path: rel, text: doc.text });
    if (skipped) unanalysed = (unanalysed ?? [...bundle.unanalysed]).filter((entry) => entry.path !== rel);
  }
  if (!files) return bundle;
  // Keep the loader's sorted order so findings come out in a stable order.
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...bundle, files: sorted, unanalysed: unanalysed ?? bundle.unanalysed };
}
