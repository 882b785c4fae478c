import type * as fs from 'node:fs';

/**
 * What the bundle loader and the lock's file hasher both need to say about the file system: which
 * file names mark a skill, how an error reads, what kind of special entry was met, and the one
 * ordering of paths (by UTF-16 code units, independent of locale) that keeps output stable.
 */

/**
 * Whether a file name marks a skill folder: `SKILL.md` in any letter case. The specification
 * names `SKILL.md` and skills-ref also takes `skill.md`; and on a case-insensitive file system
 * (macOS, Windows) an agent that opens `SKILL.md` reads `Skill.md` or `SKILL.MD` just the same,
 * so a skill named so must be found, not left out of the scan. (`toLowerCase` also folds the
 * Kelvin sign to k, which APFS treats as K.)
 */
export function isSkillMarkerName(name: string): boolean {
  return name.length === 8 && name.toLowerCase() === 'skill.md';
}

/** Whether a folder entry marks its folder as a skill: a marker name on anything but a folder (a link counts, unfollowed). */
export function isSkillMarkerEntry(entry: fs.Dirent): boolean {
  return !entry.isDirectory() && isSkillMarkerName(entry.name);
}

/**
 * Of the marker files of one folder, the one taken as the skill's SKILL.md: `SKILL.md`, else
 * `skill.md` (skills-ref's order), else the first other spelling by code units.
 */
export function primarySkillMarker(names: Iterable<string>): string | undefined {
  const markers = [...names].filter(isSkillMarkerName).sort(compareCodeUnits);
  return markers.find((name) => name === 'SKILL.md') ?? markers.find((name) => name === 'skill.md') ?? markers[0];
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'ENOENT':
      return 'path does not exist';
    case 'ENOTDIR':
      return 'path does not exist (a parent is not a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'path is too long';
    default:
      return `read error (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** A directory entry or stat result that is neither a regular file nor a folder nor a link. */
export type SpecialKind = 'fifo' | 'socket' | 'character-device' | 'block-device' | 'unknown';

const SPECIAL_PHRASES: Readonly<Record<SpecialKind, string>> = {
  fifo: 'a named pipe',
  socket: 'a socket',
  'character-device': 'a character device',
  'block-device': 'a block device',
  unknown: 'an unknown file type',
};

/** The kind as a stable identifier (the lock file records it as `special:<kind>`). */
export function specialKind(entry: fs.Dirent | fs.Stats): SpecialKind {
  if (entry.isFIFO()) return 'fifo';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice()) return 'character-device';
  if (entry.isBlockDevice()) return 'block-device';
  return 'unknown';
}

/** The kind in words, for messages: "a named pipe". */
export function specialKindPhrase(entry: fs.Dirent | fs.Stats): string {
  return SPECIAL_PHRASES[specialKind(entry)];
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
