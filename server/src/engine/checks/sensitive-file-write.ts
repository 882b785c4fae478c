import type { Node } from 'web-tree-sitter';
import { globalRegex, testRegex } from '../matchers/regex-util';
import { treeFor, unitTreeLanguage } from '../matchers/tree-sitter-query';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { CodeUnit } from '../skill-model';
import type { CheckOptions } from './index';
import { keptUnitFindings, type MovableFinding } from '../result-memo';
import { findAll } from '../dataflow/walker';
import { programIndex } from '../shell-wrappers';

/**
 * Finds code that writes to a path matching `options.pattern`: Python `open(p, 'a')`,
 * `Path(p).write_text()`, `shutil.copy(src, p)`; Node `fs.appendFileSync(p)`,
 * `fs.copyFileSync(src, p)`; Bash `>> p`, `tee -a p`, `cp src p`, `sed -i … p`, `dd of=p`.
 * The path may be written inline or held in a variable assigned (or looped over) in the same
 * unit, one or two hops away; the assignment is then given as a related location.
 *
 * Options: `pattern` (regex source, required), `flags`, `exclude` (regex: a matched path that also
 * matches this is ignored), `languages` (subset of python, javascript, typescript, bash).
 */
export function sensitiveFileWrite(context: MatchContext, options: CheckOptions): RawFinding[] {
  const pattern = typeof options.pattern === 'string' ? options.pattern : undefined;
  if (!pattern) return [];
  const flags = typeof options.flags === 'string' ? options.flags : '';
  const exclude = typeof options.exclude === 'string' ? options.exclude : undefined;
  const languages = Array.isArray(options.languages) ? (options.languages as string[]) : undefined;
  const origins = Array.isArray(options.origins) ? (options.origins as string[]) : undefined;
  const ownDir = options.ownSkillExempt === true ? `skills/${context.model.bundle.dirName}` : undefined;
  const temporaryIsMedium = options.temporaryIsMedium === true;
  const findings: RawFinding[] = [];
  for (const unit of context.model.units) {
    const language = unitTreeLanguage(unit);
    // Its readers know Python, shell and JavaScript trees; PowerShell's writes are the dataflow's.
    if (!language || language === 'powershell' || (languages && !languages.includes(language))) continue;
    if (origins && !origins.includes(unit.origin)) continue;
    if (Date.now() > context.deadline) break;
    // Kept per unit between scans; the skill's folder name is the one input from outside the unit.
    findings.push(...keptUnitFindings(context, unit, options, ownDir ?? '', () => {
      const joined = (): string => context.cache.perUnit(unit, 'sensitive-file-write:joined', () => joinParts(unit.text));
      if (!testRegex(pattern, unit.text, flags) && !testRegex(pattern, joined(), flags)) return [];
      const tree = treeFor(unit, context);
      if (!tree) return [];
      const family = language === 'typescript' ? 'javascript' : language;
      // Several rules run this check with different path patterns; the tree walk is the same.
      const { bindings, sinks } = context.cache.perUnit(unit, 'sensitive-file-write:sinks', () => ({
        bindings: collectBindings(tree.rootNode, family),
        sinks: family === 'python' ? pythonSinks(tree.rootNode) : family === 'bash' ? bashSinks(tree.rootNode) : jsSinks(tree.rootNode),
      }));
      const found: MovableFinding[] = [];
      for (const sink of sinks) {
        const hit = resolve(sink.path, family, bindings, { pattern, flags, exclude });
        if (!hit) continue;
        if (ownDir !== undefined && isOwnSkillPath((hit.via ?? sink.path).text, ownDir)) continue;
        const finding = toFinding(unit, sink, hit);
        if (temporaryIsMedium && removedInCleanup(tree.rootNode, family, sink.path)) {
          found.push({
            ...finding,
            severity: 'medium',
            message: `The skill writes \`${hit.target}\` (${sink.operation}) and removes it again in a cleanup block, so the change is temporary; while the file exists, agent sessions in this project still load it.`,
          });
        } else {
          found.push(finding);
        }
        if (found.length >= MAX_FINDINGS_PER_UNIT) break;
      }
      return found;
    }));
  }
  return findings;
}

const MAX_FINDINGS_PER_UNIT = 50;
/** How many nodes of a path expression are inspected for variable names. */
const MAX_NAMES_PER_PATH = 16;
const MAX_BINDINGS_PER_NAME = 8;

type Family = 'python' | 'javascript' | 'bash';

interface Sink {
  /** Reported range. */
  readonly node: Node;
  /** The expression that names the written file. */
  readonly path: Node;
  /** How the file is written, for the message (`open(…, 'a')`, `>>`, `tee`). */
  readonly operation: string;
}

interface Hit {
  readonly target: string;
  readonly via?: Node;
}

interface PathTest {
  readonly pattern: string;
  readonly flags: string;
  readonly exclude: string | undefined;
}

/** Node types searched for in a unit's tree, and at most how many of each search. */
const PYTHON_BINDING_TYPES: ReadonlySet<string> = new Set(['assignment', 'augmented_assignment', 'for_statement', 'named_expression']);
const JAVASCRIPT_BINDING_TYPES: ReadonlySet<string> = new Set(['variable_declarator', 'assignment_expression', 'for_in_statement']);
const BASH_BINDING_TYPES: ReadonlySet<string> = new Set(['variable_assignment', 'for_statement']);
const PYTHON_CALL_TYPES: ReadonlySet<string> = new Set(['call']);
const JAVASCRIPT_CALL_TYPES: ReadonlySet<string> = new Set(['call_expression']);
const BASH_REDIRECT_TYPES: ReadonlySet<string> = new Set(['file_redirect']);
const BASH_COMMAND_TYPES: ReadonlySet<string> = new Set(['command']);
const FINALLY_TYPES: ReadonlySet<string> = new Set(['finally_clause']);
const MAX_SEARCHED_NODES = 100_000;

function present(nodes: readonly (Node | null)[]): Node[] {
  return nodes.filter((node): node is Node => node !== null);
}

/** Longest path expression looked at; longer ones are cut (the path is at the start anyway). */
const MAX_PATH_TEXT = 2_000;

/** Tests the path text as written, then with joined parts glued: `home / ".ssh", "x"` → `home/.ssh/x`. */
function matchTarget(raw: string, test: PathTest): string | undefined {
  const text = raw.length > MAX_PATH_TEXT ? raw.slice(0, MAX_PATH_TEXT) : raw;
  for (const candidate of [text, joinParts(text)]) {
    if (test.exclude !== undefined && testRegex(test.exclude, candidate, test.flags)) return undefined;
    const regex = globalRegex(test.pattern, test.flags);
    const match = regex.exec(candidate);
    if (match) return match[0];
  }
  return undefined;
}

function joinParts(text: string): string {
  return text.replace(/["'`]?[ \t]{0,10}[,/+][ \t]{0,10}[rbfuRBFU]{0,2}["'`]/g, '/');
}

function isOwnSkillPath(text: string, ownDir: string): boolean {
  const at = text.indexOf(ownDir);
  if (at === -1) return false;
  const next = text.charAt(at + ownDir.length);
  return next === '' || next === '/' || next === '"' || next === "'" || next === '`';
}

function collectBindings(root: Node, family: Family): Map<string, Node[]> {
  const bindings = new Map<string, Node[]>();
  const add = (name: Node | null, value: Node | null): void => {
    if (!name || !value) return;
    const list = bindings.get(name.text) ?? [];
    if (list.length < MAX_BINDINGS_PER_NAME) list.push(value);
    bindings.set(name.text, list);
  };
  if (family === 'python') {
    for (const node of findAll(root, PYTHON_BINDING_TYPES, MAX_SEARCHED_NODES)) {
      if (node.type === 'named_expression') add(node.childForFieldName('name'), node.childForFieldName('value'));
      else add(identifierOrNull(node.childForFieldName('left')), node.childForFieldName(node.type === 'for_statement' ? 'right' : 'right'));
    }
  } else if (family === 'javascript') {
    for (const node of findAll(root, JAVASCRIPT_BINDING_TYPES, MAX_SEARCHED_NODES)) {
      if (node.type === 'variable_declarator') add(identifierOrNull(node.childForFieldName('name')), node.childForFieldName('value'));
      else add(identifierOrNull(node.childForFieldName('left')), node.childForFieldName('right'));
    }
  } else {
    for (const node of findAll(root, BASH_BINDING_TYPES, MAX_SEARCHED_NODES)) {
      if (node.type === 'variable_assignment') add(node.childForFieldName('name'), node.childForFieldName('value'));
      else {
        const variable = node.childForFieldName('variable');
        for (const value of present(node.childrenForFieldName('value'))) add(variable, value);
      }
    }
  }
  return bindings;
}

function identifierOrNull(node: Node | null): Node | null {
  return node && node.type === 'identifier' ? node : null;
}

/** The path node's own text, else the values bound to the names it uses (two hops at most). */
function resolve(path: Node, family: Family, bindings: Map<string, Node[]>, test: PathTest): Hit | undefined {
  const direct = matchTarget(path.text, test);
  if (direct !== undefined) return { target: direct };
  const seen = new Set<string>();
  let frontier: Node[] = [path];
  for (let hop = 0; hop < 2; hop++) {
    const next: Node[] = [];
    for (const node of frontier) {
      for (const name of namesIn(node, family)) {
        if (seen.has(name)) continue;
        seen.add(name);
        for (const value of bindings.get(name) ?? []) {
          const target = matchTarget(value.text, test);
          if (target !== undefined) return { target, via: value };
          next.push(value);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

function namesIn(node: Node, family: Family): string[] {
  if (family === 'bash') {
    if (node.type === 'variable_name') return [node.text];
    return present(node.descendantsOfType('variable_name')).slice(0, MAX_NAMES_PER_PATH).map((n) => n.text);
  }
  if (node.type === 'identifier') return [node.text];
  return present(node.descendantsOfType('identifier')).slice(0, MAX_NAMES_PER_PATH).map((n) => n.text);
}

// ---------------------------------------------------------------- Python

const PY_COPY_FUNCTIONS = new Set(['copy', 'copy2', 'copyfile', 'copytree', 'move']);
const PY_OS_SECOND_PATH = new Set(['symlink', 'link', 'rename', 'replace']);
const PY_PATH_WRITERS = new Set(['write_text', 'write_bytes', 'symlink_to', 'hardlink_to']);

function positional(args: Node | null): Node[] {
  if (!args) return [];
  return present(args.namedChildren).filter((n) => n.type !== 'keyword_argument' && n.type !== 'comment');
}

function keyword(args: Node | null, name: string): Node | undefined {
  if (!args) return undefined;
  for (const child of present(args.namedChildren)) {
    if (child.type === 'keyword_argument' && child.childForFieldName('name')?.text === name) {
      return child.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

function isWriteMode(mode: Node | undefined): boolean {
  return mode !== undefined && /^[a-zA-Z]{0,2}['"][rbtU]*[awx+]/.test(mode.text);
}

function pythonSinks(root: Node): Sink[] {
  const sinks: Sink[] = [];
  for (const call of findAll(root, PYTHON_CALL_TYPES, MAX_SEARCHED_NODES)) {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!fn || !args || args.type !== 'argument_list') continue;
    const params = positional(args);
    if (fn.type === 'identifier') {
      if (fn.text === 'open' && params[0] && isWriteMode(params[1] ?? keyword(args, 'mode'))) {
        sinks.push({ node: call, path: params[0], operation: 'open() for writing' });
      }
      continue;
    }
    if (fn.type !== 'attribute') continue;
    const object = fn.childForFieldName('object');
    const attribute = fn.childForFieldName('attribute')?.text ?? '';
    if (!object) continue;
    const module = object.type === 'identifier' ? object.text : '';
    if (attribute === 'open' && (module === 'io' || module === 'codecs')) {
      if (params[0] && isWriteMode(params[1] ?? keyword(args, 'mode'))) sinks.push({ node: call, path: params[0], operation: `${module}.open() for writing` });
    } else if (attribute === 'open' && module === 'os') {
      if (params[0] && params[1] && /O_(WRONLY|RDWR|APPEND|CREAT|TRUNC)/.test(params[1].text)) sinks.push({ node: call, path: params[0], operation: 'os.open() for writing' });
    } else if (attribute === 'open') {
      if (isWriteMode(params[0] ?? keyword(args, 'mode'))) sinks.push({ node: call, path: object, operation: '.open() for writing' });
    } else if (PY_PATH_WRITERS.has(attribute)) {
      sinks.push({ node: call, path: object, operation: `.${attribute}()` });
    } else if (module === 'shutil' && PY_COPY_FUNCTIONS.has(attribute) && params[1]) {
      sinks.push({ node: call, path: params[1], operation: `shutil.${attribute}()` });
    } else if (module === 'os' && PY_OS_SECOND_PATH.has(attribute) && params[1]) {
      sinks.push({ node: call, path: params[1], operation: `os.${attribute}()` });
    }
  }
  return sinks;
}

// ---------------------------------------------------------------- JavaScript / TypeScript

const JS_FIRST_PATH = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream',
  'outputFile', 'outputFileSync', 'outputJson', 'outputJsonSync', 'writeJson', 'writeJsonSync',
]);
const JS_SECOND_PATH = new Set([
  'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync', 'rename', 'renameSync',
  'symlink', 'symlinkSync', 'link', 'linkSync', 'move', 'moveSync',
]);

function jsSinks(root: Node): Sink[] {
  const sinks: Sink[] = [];
  for (const call of findAll(root, JAVASCRIPT_CALL_TYPES, MAX_SEARCHED_NODES)) {
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (!fn || !args || args.type !== 'arguments') continue;
    const name = fn.type === 'identifier' ? fn.text : fn.type === 'member_expression' ? (fn.childForFieldName('property')?.text ?? '') : '';
    const params = present(args.namedChildren).filter((n) => n.type !== 'comment');
    if (JS_FIRST_PATH.has(name) && params[0]) sinks.push({ node: call, path: params[0], operation: `${name}()` });
    else if (JS_SECOND_PATH.has(name) && params[1]) sinks.push({ node: call, path: params[1], operation: `${name}()` });
    else if ((name === 'open' || name === 'openSync') && params[0] && params[1] && /^['"`][rs]?[aw+]/.test(params[1].text)) {
      sinks.push({ node: call, path: params[0], operation: `${name}() for writing` });
    }
  }
  return sinks;
}

// ---------------------------------------------------------------- Bash

const BASH_LAST_ARG_WRITERS = new Set(['cp', 'mv', 'ln', 'install', 'rsync', 'scp']);

function bashSinks(root: Node): Sink[] {
  const sinks: Sink[] = [];
  for (const redirect of findAll(root, BASH_REDIRECT_TYPES, MAX_SEARCHED_NODES)) {
    const destination = redirect.childForFieldName('destination');
    if (!destination || destination.type === 'number') continue;
    const operator = /^\s*\d*(&>>?|>>|>\||>)/.exec(redirect.text);
    if (!operator || /^\s*\d*>&/.test(redirect.text)) continue;
    sinks.push({ node: redirect, path: destination, operation: `\`${operator[1] ?? '>'}\`` });
  }
  for (const command of findAll(root, BASH_COMMAND_TYPES, MAX_SEARCHED_NODES)) {
    const words = [command.childForFieldName('name'), ...command.childrenForFieldName('argument')].filter(
      (n): n is Node => n !== null,
    );
    // Look through `sudo -u root`, `env X=1`, `nohup` and the like to the command they run.
    const index = programIndex(words.map((word) => word.text));
    const name = words[index]?.text ?? '';
    const args = words.slice(index + 1);
    const operands = args.filter((n) => !n.text.startsWith('-'));
    if (name === 'tee') {
      for (const operand of operands) sinks.push({ node: command, path: operand, operation: '`tee`' });
    } else if (BASH_LAST_ARG_WRITERS.has(name) && operands.length >= 2) {
      const last = operands[operands.length - 1];
      if (last) sinks.push({ node: command, path: last, operation: `\`${name}\`` });
    } else if (name === 'sed' && args.some((n) => /^(-[a-zA-Z]*i|--in-place)/.test(n.text)) && operands.length >= 2) {
      const last = operands[operands.length - 1];
      if (last) sinks.push({ node: command, path: last, operation: '`sed -i`' });
    } else if (name === 'dd') {
      for (const arg of args) if (arg.text.startsWith('of=')) sinks.push({ node: command, path: arg, operation: '`dd`' });
    }
  }
  return sinks.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/**
 * The written file is a variable that a cleanup block deletes again: Python or JavaScript
 * `finally` (`path.unlink()`, `os.remove(path)`, `fs.unlinkSync(path)`, `fs.rmSync(path)`) or a
 * Bash `trap '… rm … $path' EXIT`. Persistence wants the file to stay; a test harness that
 * registers a command for one run and removes it does not.
 */
function removedInCleanup(root: Node, family: Family, path: Node): boolean {
  const name = family === 'bash' ? bashVariableName(path) : path.type === 'identifier' ? path.text : undefined;
  if (name === undefined || !/^[A-Za-z_]\w{0,60}$/.test(name)) return false;
  if (family === 'bash') {
    const variable = new RegExp(`\\$\\{?${name}\\b`);
    for (const trap of root.text.matchAll(/\btrap\s+(?:'([^']{0,300})'|"([^"]{0,300})")\s+(?:EXIT|0)\b/g)) {
      const body = trap[1] ?? trap[2] ?? '';
      if (/\brm\b/.test(body) && variable.test(body)) return true;
    }
    return false;
  }
  const removal =
    family === 'python'
      ? new RegExp(`\\b${name}\\.unlink\\(|\\bos\\.(?:remove|unlink)\\(\\s*${name}\\s*\\)|\\bshutil\\.rmtree\\(\\s*${name}\\s*\\)`)
      : new RegExp(`\\b(?:unlinkSync|unlink|rmSync|rm)\\(\\s*${name}\\s*[,)]`);
  return findAll(root, FINALLY_TYPES, MAX_SEARCHED_NODES).some((clause) => removal.test(clause.text));
}

function bashVariableName(path: Node): string | undefined {
  const match = /^["']?\$\{?([A-Za-z_]\w*)\}?["']?$/.exec(path.text);
  return match?.[1];
}

function toFinding(unit: CodeUnit, sink: Sink, hit: Hit): MovableFinding {
  return {
    file: unit.file.path,
    start: unit.start + sink.node.startIndex,
    end: unit.start + sink.node.endIndex,
    captures: { target: hit.target, operation: sink.operation, path: sink.path.text },
    ...(hit.via
      ? {
          related: [
            {
              file: unit.file.path,
              start: unit.start + hit.via.startIndex,
              end: unit.start + hit.via.endIndex,
              message: `The written path comes from here (\`${hit.target}\`).`,
            },
          ],
        }
      : {}),
  };
}
