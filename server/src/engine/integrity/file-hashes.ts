import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareCodeUnits, describeFsError, isSkillMarkerEntry, specialKind } from '../fs-entries';
import { gitStep } from '../git-data';

/**
 * Hashes every file of a skill folder, analysed or not: the lock must notice a swapped binary or
 * archive as surely as an edited script. The walk mirrors the bundle loader's idea of what
 * belongs to a skill (`.git` skipped, a subfolder with its own SKILL.md left to that skill) and
 * its caution: links are recorded by their target and never followed, every open refuses links,
 * and depth and entry count are bounded.
 *
 * Each entry is a string, so the lock file stays one line per file:
 * - `sha256:<hex>` for a regular file (its bytes);
 * - `symlink:<target>` for a symbolic link (the link itself is what the agent would follow);
 * - `tree:sha256:<hex>` for a `node_modules` folder, hashed as one unit (path `node_modules/`),
 *   so bundled dependencies are covered without a line per file;
 * - `special:<kind>` for a pipe, socket or device.
 */

export interface HashProblem {
  /** Posix path relative to the skill root. */
  readonly path: string;
  readonly message: string;
}

export interface SkillFileHashes {
  /** Posix path relative to the skill root → entry (see above); keys sorted. */
  readonly files: Readonly<Record<string, string>>;
  readonly treeHash: string;
  /** Files that could not be hashed; a lock must not be written while there are any. */
  readonly problems: readonly HashProblem[];
}

export interface HashOptions {
  /** Absolute paths never hashed: the lock and baseline files when they sit inside a skill. */
  readonly excludeFiles?: ReadonlySet<string>;
  readonly maxEntries?: number;
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_ENTRIES = 20_000;
export const DEFAULT_MAX_DEPTH = 32;
const COLLAPSED_FOLDERS: ReadonlySet<string> = new Set(['node_modules']);
const CHUNK_BYTES = 1024 * 1024;
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
const MAX_LINK_TARGET = 1024;

export function hashSkillFiles(root: string, options: HashOptions = {}): SkillFileHashes {
  const walker = new Walker(
    path.resolve(root),
    options.excludeFiles ?? new Set(),
    options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    options.maxDepth ?? DEFAULT_MAX_DEPTH,
  );
  const entries = walker.walk(path.resolve(root), 0, true);
  const files = Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
  return { files, treeHash: treeHashOf(files), problems: walker.problems };
}

/**
 * One hash over the whole file list: each `path NUL entry LF` in path order. It lets a lock
 * reader check that the per-file list was not edited without recomputing anything from disk.
 */
export function treeHashOf(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(files).sort(compareCodeUnits)) hash.update(`${key}\0${files[key] ?? ''}\n`);
  return `sha256:${hash.digest('hex')}`;
}

interface PendingFolder {
  readonly abs: string;
  readonly rel: string;
  readonly depth: number;
  /** Inside a `.git` folder: the path within it, as the bundle loader keeps it. */
  readonly gitInner?: string;
}

class Walker {
  readonly problems: HashProblem[] = [];
  private count = 0;

  constructor(
    private readonly root: string,
    private readonly excluded: ReadonlySet<string>,
    private readonly maxEntries: number,
    private readonly maxDepth: number,
  ) {}

  /**
   * Entries under `absolute` as [path relative to it, entry]; iterative, so depth cannot blow the
   * stack. `skipNestedSkills` is off inside `node_modules`, where discovery finds no skills either.
   */
  walk(absolute: string, depth: number, skipNestedSkills: boolean): Map<string, string> {
    const result = new Map<string, string>();
    const stack: PendingFolder[] = [{ abs: absolute, rel: '', depth }];
    while (stack.length > 0) {
      const folder = stack.pop() as PendingFolder;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder.abs, { withFileTypes: true });
      } catch (error) {
        this.problems.push({ path: folder.rel || '.', message: `folder cannot be read (${describeFsError(error)})` });
        continue;
      }
      if (skipNestedSkills && folder.rel !== '' && folder.gitInner === undefined && entries.some(isSkillMarkerEntry)) continue; // a nested skill
      for (const entry of entries) {
        const rel = folder.rel === '' ? entry.name : `${folder.rel}/${entry.name}`;
        const abs = path.join(folder.abs, entry.name);
        if (this.excluded.has(abs)) continue;
        // What the loader reads in a `.git` folder is hashed; git's own data changes with every fetch.
        const git = gitStep(folder.gitInner, entry.name, entry.isDirectory());
        if (git.skip) continue;
        if (++this.count > this.maxEntries) {
          if (this.count === this.maxEntries + 1) {
            this.problems.push({ path: rel, message: `the skill has more than ${this.maxEntries} files; the rest were not hashed` });
          }
          return result;
        }
        if (entry.isDirectory()) {
          if (folder.depth + 1 > this.maxDepth) {
            this.problems.push({ path: rel, message: `folder nested more than ${this.maxDepth} levels deep; not hashed` });
          } else if (COLLAPSED_FOLDERS.has(entry.name)) {
            const inner = this.walk(abs, folder.depth + 1, false);
            result.set(`${rel}/`, `tree:${treeHashOf(Object.fromEntries(inner))}`);
          } else {
            const inner = git.forChildren;
            stack.push({ abs, rel, depth: folder.depth + 1, ...(inner === undefined ? {} : { gitInner: inner }) });
          }
        } else if (entry.isSymbolicLink()) {
          result.set(rel, `symlink:${readLink(abs)}`);
        } else if (entry.isFile()) {
          const hashed = hashFile(abs);
          if (typeof hashed === 'string') result.set(rel, hashed);
          else this.problems.push({ path: rel, message: hashed.problem });
        } else {
          result.set(rel, `special:${specialKind(entry)}`);
        }
      }
    }
    return result;
  }
}

function hashFile(abs: string): string | { problem: string } {
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return `symlink:${readLink(abs)}`;
    return { problem: `cannot be read (${describeFsError(error)})` };
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { problem: 'was replaced by something that is not a file while it was hashed' };
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
    return `sha256:${hash.digest('hex')}`;
  } catch (error) {
    return { problem: `cannot be read (${describeFsError(error)})` };
  } finally {
    fs.closeSync(fd);
  }
}

function readLink(abs: string): string {
  try {
    const target = fs.readlinkSync(abs);
    return target.length > MAX_LINK_TARGET ? `${target.slice(0, MAX_LINK_TARGET)}…` : target;
  } catch {
    return '?';
  }
}
