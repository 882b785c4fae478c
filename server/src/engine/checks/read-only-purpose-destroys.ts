import type { MatchContext, RawFinding } from '../matchers/types';
import type { CodeUnit } from '../skill-model';

/**
 * A skill that says it only looks at data (checks, validates, audits, reports on it) or keeps it
 * intact (a forensically sound collection, a read-only snapshot, a legal hold), whose bundled
 * scripts destroy data: SQL that deletes rows or drops tables for a checker, and any file
 * deletion for a skill that promises to preserve or not modify. One finding at the first
 * destructive statement, with the description as related location.
 *
 * A description that names destruction as (part of) the job (clean, purge, prune, delete,
 * migrate, fix, repair, retention, rebuild, …) is left alone: such a skill is expected to remove
 * things, and other rules judge how broadly.
 */

/** Verbs and nouns of looking at data without changing it. */
const INSPECTING_PURPOSE = /\b(?:check(?:s|er|ers|ing)?|validat(?:e|es|ed|ing|ion|or|ors)|verif(?:y|ies|ied|ying|ication)|audit(?:s|ed|ing|or)?|inspect(?:s|ed|ing|ion|or)?|report(?:s|ed|ing|er)?|gate(?:s|d)?|profil(?:e|es|ing|er)|assess(?:es|ed|ing|ment)?|lint(?:s|er|ing)?|monitor(?:s|ed|ing)?|test(?:s|ed|ing)?\s+(?:the\s+)?data|data[- ]quality)\b/i;
/** A promise to keep data as it is. */
const PRESERVING_PURPOSE = /\b(?:read[- ]only|non[- ]destructive(?:ly)?|forensically\s+sound|chain[- ]of[- ]custody|legal\s+hold|without\s+(?:modifying|changing|altering|touching|deleting)|never\s+(?:modif(?:y|ies)|chang(?:e|es)|alter(?:s)?|delet(?:e|es))|preserv(?:e|es|ed|ing)\s+(?:the\s+|all\s+|every\s+|each\s+|their\s+)?(?:original|source|evidence|data|records?|files?|messages?|e-?mails?|mail|documents?|items?|exports?|logs?)|(?:evidence|data|record|records)\s+preservation|preservation\s+of\s+(?:the\s+)?(?:evidence|data|records?|files?|messages?))\b/i;
/** Destruction named as part of the job. */
const DESTRUCTIVE_PURPOSE = /\b(?:clean(?:s|ed|ing|up|-up)?|purg(?:e|es|ed|ing)|prun(?:e|es|ed|ing)|delet(?:e|es|ed|ing|ion)|remov(?:e|es|ed|ing|al)|wip(?:e|es|ed|ing)|eras(?:e|es|ed|ing|ure)|drop(?:s|ped|ping)?|truncat(?:e|es|ed|ing)|migrat(?:e|es|ed|ing|ions?)|fix(?:es|ed|ing)?|repair(?:s|ed|ing)?|rotat(?:e|es|ed|ing|ion)|retention|expir(?:e|es|ed|y)|rebuild(?:s|ing)?|reset(?:s|ting)?|trim(?:s|med|ming)?|reclaim(?:s|ing)?|housekeep(?:ing)?|garbage|teardown|tear\s+down|destroy(?:s|ed|ing)?|uninstall(?:s|ed|ing)?|remediat(?:e|es|ed|ing|ion)|quarantin(?:e|es|ed|ing))\b/i;

/** A skill that edits or modifies what it works on may replace and remove its own outputs. */
const EDITING_PURPOSE = /\b(?:edit(?:s|ed|ing|or)?|modif(?:y|ies|ied|ying|ication)|updat(?:e|es|ed|ing)|rewrit(?:e|es|ing))\b/i;

/**
 * De-duplicating names removal for a checker or a report; a collection that promises to preserve
 * de-duplicates by copying each item once, so there it names no removal.
 */
const DEDUPLICATING_PURPOSE = /\bde-?dup\w*/i;

/** SQL that deletes rows or drops tables, as a statement the code sends. */
const SQL_DESTROY = /["'`]\s{0,8}(?:DELETE\s{1,8}FROM|TRUNCATE(?:\s{1,8}TABLE)?|DROP\s{1,8}(?:TABLE|SCHEMA|DATABASE|VIEW))\s{1,8}[{$\w."`[]/i;
/** File deletion in code. */
const FILE_DESTROY = /\b(?:os\.(?:remove|unlink|rmdir)|shutil\.rmtree|fs\.(?:rm|rmSync|unlink|unlinkSync|rmdir|rmdirSync)|(?:fsp|promises)\.(?:rm|unlink))\s{0,4}\(|\.unlink\s{0,4}\(\s{0,4}(?:missing_ok\s{0,4}=\s{0,4}\w+)?\s{0,4}\)|\.remove\s{0,4}\(\s{0,4}key\b|(?:^|[;&|]\s{0,4}|\s)rm\s{1,4}-[a-zA-Z]{0,4}[rf][a-zA-Z]{0,4}\s/m;

const MAX_DESCRIPTION = 4000;

export function readOnlyPurposeDestroys(context: MatchContext): RawFinding[] {
  const skillMd = context.model.skillMd;
  const fields = skillMd?.frontmatter?.fields;
  const description = fields?.get('description');
  if (!skillMd || !description || typeof description.value !== 'string') return [];
  const text = description.value.slice(0, MAX_DESCRIPTION);
  const nameField = fields?.get('name');
  const name = typeof nameField?.value === 'string' ? nameField.value.replace(/[-_]+/g, ' ') : '';
  if (DESTRUCTIVE_PURPOSE.test(text) || DESTRUCTIVE_PURPOSE.test(name) || EDITING_PURPOSE.test(text)) return [];
  const preserving = PRESERVING_PURPOSE.exec(text);
  if (!preserving && (DEDUPLICATING_PURPOSE.test(text) || DEDUPLICATING_PURPOSE.test(name))) return [];
  const inspecting = preserving ? undefined : INSPECTING_PURPOSE.exec(text) ?? INSPECTING_PURPOSE.exec(name);
  if (!preserving && !inspecting) return [];
  const scripts = context.model.units.filter((unit) => unit.origin === 'script' && unit.language !== 'text');
  for (const unit of scripts) {
    const found = firstDestruction(unit, preserving !== null);
    if (!found) continue;
    const claim = (preserving ?? inspecting)?.[0] ?? '';
    return [
      {
        file: unit.file.path,
        start: unit.start + found.start,
        end: unit.start + found.end,
        captures: { claim, action: found.what },
        related: [{ file: skillMd.path, start: description.valueStart, end: description.valueEnd, message: `The description says the skill ${preserving ? 'keeps data intact' : 'inspects data'} ("${claim}").` }],
      },
    ];
  }
  return [];
}

function firstDestruction(unit: CodeUnit, anyFileDeletion: boolean): { start: number; end: number; what: string } | undefined {
  const sql = SQL_DESTROY.exec(unit.text);
  if (sql) return { start: sql.index + 1, end: sql.index + sql[0].length - 1, what: 'deletes rows or drops tables in a database' };
  if (!anyFileDeletion) return undefined;
  const file = FILE_DESTROY.exec(unit.text);
  if (file) return { start: file.index, end: file.index + file[0].length, what: 'deletes files' };
  return undefined;
}
