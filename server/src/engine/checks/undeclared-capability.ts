import { buildCapabilityInventory } from '../capabilities';
import type { MatchContext, RawFinding } from '../matchers/types';
import { localOnlyPurpose } from '../permissions/claimed-purpose';
import type { CodeUnit, FileModel, SkillModel } from '../skill-model';
import type { CapabilityItem, Severity } from '../types';
import type { CheckOptions } from './index';
import { HTTP_CLIENT, RAW_SOCKET } from '../network-reach';

/**
 * A skill whose description claims a local-only purpose (formatting, converting, linting,
 * summarising, validating files) but whose code reaches much further: credential stores,
 * persistence locations, raw sockets, privilege escalation, or HTTP requests to a host that is
 * neither local nor a documentation or package site. One finding at the description, naming the
 * claim and what the code does, with each piece of evidence as a related location.
 *
 * Only scripts and SKILL.md's own code count as the skill's code: a reference document that
 * explains `~/.ssh` is not something the skill does.
 */

interface Capability {
  readonly severity: Severity;
  /** A clause for the message: `reads \`~/.ssh/id_rsa\``. */
  readonly clause: string;
  /** Sends something out (a request body, an upload), not only fetches. */
  readonly sends?: boolean;
  readonly evidence: readonly Evidence[];
}

/** Sensitive paths that are configuration rather than credentials, for this comparison. */
const NOT_CREDENTIALS = /^(?:\.env(?:\.[\w-]+)?|\.git\/config|~\/\.(?:bashrc|zshrc|bash_profile|zprofile|profile|zshenv|bash_login|zlogin))$/;
/** Persistence locations a local documentation tool may legitimately write. */
const NOT_PERSISTENCE = /(?:^|\/)(?:CLAUDE|AGENTS)\.md$|\.vscode\/|\.cursor\/rules/;
const ESCALATION_PROGRAMS: ReadonlySet<string> = new Set(['sudo', 'doas', 'pkexec', 'su']);
const SOCKET_PROGRAMS: ReadonlySet<string> = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet']);

const LOCAL_ONLY_HOSTS = /\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\b|::1/;

/** A request that carries something out: a POST or PUT, a body, form data or an upload. */
const HTTP_SEND = /\.(?:post|put|patch)\s*\(|\bmethod\s*[:=]\s*["'](?:POST|PUT|PATCH)\b|\b(?:data|json|body|files)\s*[=:]|\s-(?:d|F|T)\s|--data\b|--upload-file\b|-X\s*(?:POST|PUT)\b|Invoke-(?:RestMethod|WebRequest)\b[^\n]{0,120}-(?:Body|InFile)\b/i;
const URL_HOST = /\bhttps?:\/\/(?:[^\s/@'"`<>]{1,100}@)?([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,10})/gi;
/** Hosts that are local, reserved for examples, or documentation and package sites. */
const KNOWN_HOST =
  /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|local|localhost|invalid|schema\.org|w3\.org|json-schema\.org|github\.com|githubusercontent\.com|github\.io|pypi\.org|pythonhosted\.org|npmjs\.(?:com|org)|crates\.io|rubygems\.org|readthedocs\.io|wikipedia\.org|python\.org|nodejs\.org|mozilla\.org|apache\.org|opensource\.org|gnu\.org|creativecommons\.org|spdx\.org)|(?:docs|developer|developers|learn|doc)\.[\w.-]+)$/i;

const MAX_RELATED = 6;


export function undeclaredCapability(context: MatchContext, _options: CheckOptions): RawFinding[] {
  const model = context.model;
  const skillMd = model.skillMd;
  if (!skillMd) return [];
  const purpose = localOnlyPurpose(skillMd);
  if (!purpose) return [];
  const capabilities = [...fromInventory(model, purpose.systemJob === true), ...rawSockets(model), ...httpToUnknownHosts(model)].filter(
    (capability) => capability.evidence.length > 0,
  );
  if (capabilities.length === 0) return [];
  // A broken promise ("runs locally" and then posts to a host) is worse than a purpose read from verbs;
  // fetching a model or a page is not what the promise is about, sending something is.
  const high = capabilities.some((capability) => capability.severity === 'high') || (purpose.promised === true && capabilities.some((capability) => capability.sends === true));
  const ordered = [...capabilities].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1));
  const [first, second] = ordered;
  return [
    {
      file: skillMd.path,
      start: purpose.start,
      end: purpose.end,
      severity: high ? 'high' : 'medium',
      // Built here rather than from captures: the clauses are longer than a capture may be shown.
      message: `The description ${purpose.promised ? 'promises the skill stays local' : 'presents the skill as a local tool'} ("${purpose.phrase}"), but its code ${(first as Capability).clause}${second ? ` and ${second.clause}` : ''}, which that purpose does not explain.`,
      captures: { purpose: purpose.phrase, capability: (first as Capability).clause },
      related: ordered.flatMap((capability) => capability.evidence).slice(0, MAX_RELATED),
    },
  ];
}

/** Files whose code is the skill's own: bundled scripts and SKILL.md. */
function isOwnCode(model: SkillModel, path: string): FileModel | undefined {
  const file = model.files.find((candidate) => candidate.path === path);
  return file && (file.kind === 'script' || file.kind === 'skill-md') ? file : undefined;
}

interface Evidence {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** The first location of each item in the skill's own code, and the values that have one. */
function evidenceOf(
  model: SkillModel,
  items: readonly CapabilityItem[],
  message: (value: string) => string,
  scriptsOnly = false,
): { evidence: Evidence[]; values: string[] } {
  const evidence: Evidence[] = [];
  const values: string[] = [];
  for (const item of items) {
    for (const seen of item.evidence) {
      const file = isOwnCode(model, seen.file);
      if (!file || (scriptsOnly && file.kind !== 'script')) continue;
      const start = file.lines.offsetAt(seen.span.line, seen.span.column);
      const end = file.lines.offsetAt(seen.span.endLine, seen.span.endColumn);
      evidence.push({ file: file.path, start, end, message: message(item.value) });
      values.push(item.value);
      break;
    }
  }
  return { evidence, values };
}

function quoted(values: readonly string[]): string {
  return values
    .slice(0, 2)
    .map((value) => `\`${value}\``)
    .join(', ');
}

/** `systemJob`: the skill installs or runs a service, so persistence and privileges are its job (see `ClaimedPurpose.systemJob`). */
function fromInventory(model: SkillModel, systemJob: boolean): Capability[] {
  const inventory = buildCapabilityInventory(model);
  const credentials = evidenceOf(
    model,
    inventory.sensitivePaths.filter((item) => !NOT_CREDENTIALS.test(item.value)),
    (value) => `The code reaches \`${value}\`, a credential store.`,
  );
  const credentialStores: Capability = { severity: 'high', clause: `reaches credential stores (${quoted(credentials.values)})`, evidence: credentials.evidence };
  if (systemJob) return [credentialStores];
  const persistence = evidenceOf(
    model,
    inventory.persistence.filter((item) => !NOT_PERSISTENCE.test(item.value)),
    (value) => `The code writes \`${value}\`, which makes code run again later.`,
  );
  const escalation = evidenceOf(
    model,
    inventory.commands.filter((item) => ESCALATION_PROGRAMS.has(item.value)),
    (value) => `\`${value}\` runs a command with elevated privileges.`,
    true,
  );
  return [
    credentialStores,
    { severity: 'high', clause: `writes persistence locations (${quoted(persistence.values)})`, evidence: persistence.evidence },
    { severity: 'medium', clause: `escalates privileges (${quoted(escalation.values)})`, evidence: escalation.evidence },
  ];
}

function ownCodeUnits(model: SkillModel): CodeUnit[] {
  // Inline commands are graded by the script rules; the capability claim rests on scripts and fences.
  return model.units.filter((unit) => unit.origin === 'script' || (unit.file.kind === 'skill-md' && unit.origin !== 'inline'));
}

function rawSockets(model: SkillModel): Capability[] {
  const evidence: Evidence[] = evidenceOf(
    model,
    buildCapabilityInventory(model).commands.filter((item) => SOCKET_PROGRAMS.has(item.value)),
    (value) => `\`${value}\` opens a raw network connection.`,
  ).evidence;
  for (const unit of ownCodeUnits(model)) {
    const pattern = RAW_SOCKET[unit.language];
    if (!pattern) continue;
    const matches = [...unit.text.matchAll(pattern)];
    if (matches.length === 0) continue;
    // A socket to this machine alone (a local preview server or language server) is not reaching out.
    if (LOCAL_ONLY_HOSTS.test(unit.text) && !hasRemoteHost(unit.text)) continue;
    const match = matches[0] as RegExpMatchArray;
    const start = unit.start + (match.index ?? 0);
    evidence.push({ file: unit.file.path, start, end: start + match[0].length, message: 'The code opens a raw network socket.' });
  }
  return [{ severity: 'high', clause: 'opens raw network sockets', evidence }];
}

function hasRemoteHost(text: string): boolean {
  return /\b(?:\d{1,3}\.){3}\d{1,3}\b/.test(text.replace(/\b(?:127\.0\.0\.1|0\.0\.0\.0)\b/g, '')) || /['"][a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,10}['"]/i.test(text);
}

function httpToUnknownHosts(model: SkillModel): Capability[] {
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const unit of ownCodeUnits(model)) {
    if (!HTTP_CLIENT.test(unit.text)) continue;
    for (const match of unit.text.matchAll(URL_HOST)) {
      const host = (match[1] as string).toLowerCase().replace(/\.$/, '');
      if (!host.includes('.') || KNOWN_HOST.test(host) || seen.has(host)) continue;
      seen.add(host);
      const start = unit.start + (match.index ?? 0);
      evidence.push({ file: unit.file.path, start, end: start + match[0].length, message: `The code sends HTTP requests to \`${host}\`.` });
    }
  }
  const hosts = [...seen].slice(0, 2).map((host) => `\`${host}\``).join(', ');
  const sends = ownCodeUnits(model).some((unit) => HTTP_SEND.test(unit.text));
  return [{ severity: 'medium', clause: `sends HTTP requests to ${hosts}`, evidence, sends }];
}
