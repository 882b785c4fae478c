// Regenerates the rule table in README.md (between the rules:start/end markers) from
// dist/rules.json, so the table can never drift from the registry. Run `npm run docs:rules`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { rules } = JSON.parse(readFileSync(join(root, 'dist/rules.json'), 'utf8'));
const escape = (text) => text.replace(/\|/g, '\\|');
const rows = rules.map(
  (rule) =>
    `| [${rule.id}](rules/${rule.category}/${rule.id}-${rule.name}/README.md) | \`${rule.name}\` | ${rule.category} | ${rule.severity} | ${escape(rule.title)} |`,
);
const table = ['<!-- rules:start -->', '| code | slug | category | default severity | title |', '|---|---|---|---|---|', ...rows, '<!-- rules:end -->'].join('\n');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, table);
writeFileSync(readmePath, updated);
console.log(`README.md: ${rules.length} rules in the table`);
