/**
 * The engine's contract. Everything the LSP server, the CLI and the benchmarks exchange with the
 * engine is declared here; nothing in this folder may import `vscode` or `vscode-languageserver`.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse: critical = 4 … info = 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export function parseSeverity(text: string): Severity | undefined {
  const lower = text.trim().toLowerCase();
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : undefined;
}

/** 1-based lines and columns; columns count UTF-16 code units; the end is exclusive. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RelatedLocation {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export interface TextEdit {
  readonly file: string;
  readonly span: Span;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Finding {
  /** `SKL401` */
  readonly ruleId: string;
  /** `remote-script-piped-to-shell` */
  readonly slug: string;
  readonly category: string;
  readonly severity: Severity;
  /** One specific sentence; never contains the rule id. */
  readonly message: string;
  /** Posix path relative to the skill root. */
  readonly file: string;
  readonly span: Span;
  readonly related?: readonly RelatedLocation[];
  readonly fix?: Fix;
}

export interface SourceFile {
  /** Posix path relative to the skill root. */
  readonly path: string;
  readonly text: string;
  /** Set when the bytes on disk were not clean UTF-8 text and were decoded anyway (see `TextDecoding`). */
  readonly decoding?: TextDecoding;
}

/**
 * How the loader turned bytes that are not clean UTF-8 into the text it analysed. Bytes that make
 * other tools call a file binary (a NUL, one byte that is not UTF-8) do not stop bash, node or an
 * agent from reading it, so such a file is analysed as text, and how it was decoded is reported.
 */
export interface TextDecoding {
  /** NUL bytes, kept in the text as U+0000. */
  readonly nulBytes: number;
  /** Byte sequences that are not UTF-8, each replaced by U+FFFD. */
  readonly invalidSequences: number;
  /** Set for UTF-16 text with a byte order mark, decoded as such. */
  readonly encoding?: 'UTF-16LE' | 'UTF-16BE';
  /** Set when the file's name says a binary format (`an image`) its content is not. */
  readonly namedAs?: string;
}

export type UnanalysedReason =
  | 'too-large'
  | 'binary'
  | 'executable-binary'
  | 'archive'
  | 'executable-archive'
  | 'compiled-python'
  | 'utf32'
  | 'symlink'
  | 'unreadable'
  | 'skill-size-limit'
  | 'file-count-limit'
  | 'skipped-folder';

/** A file that belongs to the skill but whose content the engine could not analyse. */
export interface UnanalysedFile {
  readonly path: string;
  readonly reason: UnanalysedReason;
  readonly detail: string;
  readonly size?: number;
  /** The `#!` line an oversized file starts with: it says the file is a script whatever its name. */
  readonly shebang?: string;
  /** Set for a symbolic link whose target is outside the skill folder (or cannot be read). */
  readonly leavesSkill?: boolean;
  /**
   * A symbolic link's target as the link spells it (read with readlink, never followed), and the
   * absolute path it resolves to; set when the target could be read.
   */
  readonly linkTarget?: string;
  readonly linkResolved?: string;
}

export interface SkillBundle {
  /** Absolute path (or URI) of the folder that holds SKILL.md; used only for reporting. */
  readonly root: string;
  /** The folder's own name: the spec requires `name` to equal it. */
  readonly dirName: string;
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly unanalysed: readonly UnanalysedFile[];
}

export type Verdict = 'clean' | 'notice' | 'suspicious' | 'dangerous' | 'malicious';

export interface SkillReport {
  readonly root: string;
  readonly dirName: string;
  /** The frontmatter `name` when present and a string. */
  readonly name?: string;
  readonly findings: readonly Finding[];
  readonly verdict: Verdict;
  /** 0–100; see scoring.ts for why it does not saturate. */
  readonly score: number;
  readonly filesAnalysed: number;
  readonly bytesAnalysed: number;
  readonly durationMs: number;
  /** What the skill's code can reach: hosts, sensitive paths, variables, commands, grants. */
  readonly capabilities?: CapabilityInventory;
}

export interface ScanOptions {
  /** Rule code or slug → severity override, or 'off'. */
  readonly ruleOverrides?: Readonly<Record<string, Severity | 'off'>>;
  /** Only these rules run (used by the rule test runner). */
  readonly onlyRules?: readonly string[];
  /** Per-file analysis budget in milliseconds. */
  readonly fileBudgetMs?: number;
  /** Per-skill analysis budget in milliseconds. */
  readonly skillBudgetMs?: number;
}

/** Where a capability was seen: a file of the skill (posix, relative to its root) and a range. */
export interface CapabilityEvidence {
  readonly file: string;
  readonly span: Span;
}

/** One distinct capability value (a host, a path, a variable…) and where it appears. */
export interface CapabilityItem {
  readonly value: string;
  /** In file and position order; capped, so a value repeated a thousand times stays small. */
  readonly evidence: readonly CapabilityEvidence[];
}

/**
 * What a skill's code units (scripts, code fences, dynamic commands) and frontmatter say it can
 * do. An inventory, not a verdict: it is what the lock file records and `verify` diffs, so a new
 * host or a widened grant shows up even when no rule fires. Every list is sorted by value.
 */
export interface CapabilityInventory {
  /** Host names and IP addresses contacted (lower-cased, no port or user). */
  readonly hosts: readonly CapabilityItem[];
  /** Credential and other sensitive paths, home-relative ones written `~/…`. */
  readonly sensitivePaths: readonly CapabilityItem[];
  /** Environment variables read; `*` means the whole environment. */
  readonly envVars: readonly CapabilityItem[];
  /** Programs run: the first word of each shell command, or the program of an exec call. */
  readonly commands: readonly CapabilityItem[];
  /** Places written that make code run again later (rc files, cron, services, agent config). */
  readonly persistence: readonly CapabilityItem[];
  /** Entries of the `allowed-tools` frontmatter field, as written. */
  readonly allowedTools: readonly CapabilityItem[];
  /** Files the code reads, by literal path (home-relative ones written `~/…`). */
  readonly filesRead: readonly CapabilityItem[];
  /** Files the code creates, writes, appends to, copies or moves onto, by literal path. */
  readonly filesWritten: readonly CapabilityItem[];
}

export const CAPABILITY_KINDS = ['hosts', 'sensitivePaths', 'envVars', 'commands', 'persistence', 'allowedTools', 'filesRead', 'filesWritten'] as const;
export type CapabilityKind = (typeof CAPABILITY_KINDS)[number];
