import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseSeverity, type Severity, type TextDecoding, type UnanalysedFile, type UnanalysedReason } from '../../server/src/engine';
import { RULES_DIR } from './engine';

export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly severity?: Severity;
  readonly message?: string;
  readonly messageIncludes?: string;
}

export interface RuleCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly dirName?: string;
  readonly unanalysed: readonly UnanalysedFile[];
  /** How the loader decoded files that were not clean UTF-8, by path (see `TextDecoding`). */
  readonly decoded: Readonly<Record<string, TextDecoding>>;
  readonly options: { readonly skillBudgetMs?: number; readonly fileBudgetMs?: number };
  readonly findings: readonly ExpectedFinding[];
  readonly only: boolean;
}

export interface RuleTests {
  readonly valid: readonly RuleCase[];
  readonly invalid: readonly RuleCase[];
}

export interface RuleFolder {
  readonly dir: string;
  readonly category: string;
  readonly folderName: string;
  readonly definition: Record<string, unknown>;
}

export function ruleFolders(): RuleFolder[] {
  const result: RuleFolder[] = [];
  for (const category of fs.readdirSync(RULES_DIR).sort()) {
    const categoryDir = path.join(RULES_DIR, category);
    if (!fs.statSync(categoryDir).isDirectory()) continue;
    for (const folderName of fs.readdirSync(categoryDir).sort()) {
      const dir = path.join(categoryDir, folderName);
      const rulePath = path.join(dir, 'rule.yaml');
      if (!fs.existsSync(rulePath)) continue;
      const definition = parseYaml(fs.readFileSync(rulePath, 'utf8')) as Record<string, unknown>;
      result.push({ dir, category, folderName, definition });
    }
  }
  return result;
}

/** Every file text in the rules' tests.yaml fixtures, and every line of them. */
export function fixtureTexts(): string[] {
  const texts = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      texts.add(value);
      for (const line of value.split('\n')) texts.add(line);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  for (const folder of ruleFolders()) {
    const testsPath = path.join(folder.dir, 'tests.yaml');
    if (fs.existsSync(testsPath)) collect(parseYaml(fs.readFileSync(testsPath, 'utf8')) as unknown);
  }
  return [...texts];
}

const CASE_KEYS = new Set(['name', 'files', 'dirName', 'unanalysed', 'decoded', 'options', 'findings', 'only']);
const FINDING_KEYS = new Set(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'message', 'messageIncludes']);

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'expected a mapping');
  return value as Record<string, unknown>;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') fail(where, 'expected a number');
  return value;
}

function parseExpected(value: unknown, where: string): ExpectedFinding {
  const record = asRecord(value, where);
  for (const key of Object.keys(record)) if (!FINDING_KEYS.has(key)) fail(where, `unknown key ${key}`);
  if (typeof record.file !== 'string' || typeof record.line !== 'number') fail(where, 'a finding needs file and line');
  const severity = record.severity === undefined ? undefined : parseSeverity(String(record.severity));
  if (record.severity !== undefined && !severity) fail(where, `bad severity ${String(record.severity)}`);
  const column = optionalNumber(record.column, where);
  const endLine = optionalNumber(record.endLine, where);
  const endColumn = optionalNumber(record.endColumn, where);
  return {
    file: record.file,
    line: record.line,
    ...(column !== undefined ? { column } : {}),
    ...(endLine !== undefined ? { endLine } : {}),
    ...(endColumn !== undefined ? { endColumn } : {}),
    ...(severity ? { severity } : {}),
    ...(typeof record.message === 'string' ? { message: record.message } : {}),
    ...(typeof record.messageIncludes === 'string' ? { messageIncludes: record.messageIncludes } : {}),
  };
}

function parseCase(value: unknown, where: string, invalid: boolean): RuleCase {
  const record = asRecord(value, where);
  for (const key of Object.keys(record)) if (!CASE_KEYS.has(key)) fail(where, `unknown key ${key}`);
  if (typeof record.name !== 'string' || record.name.length === 0) fail(where, 'every case needs a name');
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(record.files === undefined ? {} : asRecord(record.files, `${where}.files`))) {
    if (typeof text !== 'string') fail(where, `file ${file} must be a string`);
    files[file] = text;
  }
  const unanalysed: UnanalysedFile[] = [];
  if (record.unanalysed !== undefined) {
    if (!Array.isArray(record.unanalysed)) fail(where, 'unanalysed must be a list');
    for (const item of record.unanalysed) {
      const entry = asRecord(item, `${where}.unanalysed`);
      if (typeof entry.path !== 'string' || typeof entry.reason !== 'string' || typeof entry.detail !== 'string') {
        fail(where, 'unanalysed entries need path, reason and detail');
      }
      if (entry.shebang !== undefined && typeof entry.shebang !== 'string') fail(where, 'shebang must be a string');
      unanalysed.push({
        path: entry.path,
        reason: entry.reason as UnanalysedReason,
        detail: entry.detail,
        ...(entry.shebang ? { shebang: entry.shebang } : {}),
        ...(entry.leavesSkill === true ? { leavesSkill: true } : {}),
        ...(typeof entry.linkTarget === 'string' ? { linkTarget: entry.linkTarget } : {}),
        ...(typeof entry.linkResolved === 'string' ? { linkResolved: entry.linkResolved } : {}),
      });
    }
  }
  const decoded: Record<string, TextDecoding> = {};
  if (record.decoded !== undefined) {
    if (!Array.isArray(record.decoded)) fail(where, 'decoded must be a list');
    for (const item of record.decoded) {
      const entry = asRecord(item, `${where}.decoded`);
      const { path: file, nulBytes, invalidSequences, encoding, namedAs } = entry;
      if (typeof file !== 'string' || typeof nulBytes !== 'number' || typeof invalidSequences !== 'number') {
        fail(where, 'decoded entries need path, nulBytes and invalidSequences');
      }
      if (encoding !== undefined && encoding !== 'UTF-16LE' && encoding !== 'UTF-16BE') fail(where, 'encoding must be UTF-16LE or UTF-16BE');
      if (namedAs !== undefined && typeof namedAs !== 'string') fail(where, 'namedAs must be a string');
      decoded[file] = { nulBytes, invalidSequences, ...(encoding ? { encoding } : {}), ...(namedAs ? { namedAs } : {}) };
    }
  }
  const options = record.options === undefined ? {} : asRecord(record.options, `${where}.options`);
  const skillBudgetMs = optionalNumber(options.skillBudgetMs, where);
  const fileBudgetMs = optionalNumber(options.fileBudgetMs, where);
  const findingsValue = record.findings;
  if (!invalid && findingsValue !== undefined) fail(where, 'valid cases must not list findings');
  if (invalid && (!Array.isArray(findingsValue) || findingsValue.length === 0)) fail(where, 'invalid cases must list findings');
  const findings = Array.isArray(findingsValue) ? findingsValue.map((f, i) => parseExpected(f, `${where}.findings[${i}]`)) : [];
  return {
    name: record.name,
    files,
    ...(typeof record.dirName === 'string' ? { dirName: record.dirName } : {}),
    unanalysed,
    decoded,
    options: { ...(skillBudgetMs !== undefined ? { skillBudgetMs } : {}), ...(fileBudgetMs !== undefined ? { fileBudgetMs } : {}) },
    findings,
    only: record.only === true,
  };
}

export function readRuleTests(dir: string): RuleTests {
  const where = path.join(dir, 'tests.yaml');
  if (!fs.existsSync(where)) fail(where, 'missing');
  const record = asRecord(parseYaml(fs.readFileSync(where, 'utf8')), where);
  for (const key of Object.keys(record)) if (key !== 'valid' && key !== 'invalid') fail(where, `unknown key ${key}`);
  if (!Array.isArray(record.valid) || record.valid.length === 0) fail(where, 'needs at least one valid case');
  // An editor-reported rule (drift from the lock file) never fires from a scan alone: its firing
  // cases live in the language server's unit tests, so tests.yaml holds only valid cases.
  const invalidRequired = !isEditorReported(dir);
  const invalid = record.invalid === undefined && !invalidRequired ? [] : record.invalid;
  if (!Array.isArray(invalid) || (invalidRequired && invalid.length === 0)) fail(where, 'needs at least one invalid case');
  return {
    valid: record.valid.map((c, i) => parseCase(c, `${where} valid[${i}]`, false)),
    invalid: invalid.map((c, i) => parseCase(c, `${where} invalid[${i}]`, true)),
  };
}

/** Rules the language server reports outside the engine (tag `editor-reported`). */
export function isEditorReported(dir: string): boolean {
  const definition = parseYaml(fs.readFileSync(path.join(dir, 'rule.yaml'), 'utf8')) as { tags?: unknown };
  return Array.isArray(definition.tags) && definition.tags.includes('editor-reported');
}
