import type { FileModel } from '../skill-model';

/**
 * What a skill says it is for, read from its `description` and `name`, reduced to one question:
 * does it present itself as a purely local tool (one that formats, converts, lints, summarises or
 * validates files it is given)? Purposes are recognised by categories of verbs and nouns, never
 * by whole phrases, and any sign of a networked, account-bound or system-level purpose (an API,
 * an upload, a deployment, a chat service, credentials, installation) makes the purpose not
 * local: such a skill is expected to reach further, and other rules judge how.
 */
export interface ClaimedPurpose {
  /** A short quote of the claim, e.g. `formats CSV files for readability`. */
  readonly phrase: string;
  /** Offsets of the `description` value in SKILL.md (where a mismatch is reported). */
  readonly start: number;
  readonly end: number;
  /** The description promises it outright ("runs locally", "nothing leaves your machine"). */
  readonly promised?: boolean;
  /**
   * A promise made by a skill whose description also names a system-level job (an install, a
   * service, a setup): the promise is about the network, not about what it installs.
   */
  readonly systemJob?: boolean;
}

/** Verbs of work done on local content. */
const LOCAL_VERBS = new RegExp(
  String.raw`\b(?:` +
    [
      String.raw`(?:re)?format(?:s|ted|ting|ters?)?`,
      String.raw`convert(?:s|ed|ing|ers?)?`,
      String.raw`lint(?:s|ed|ing|ers?)?`,
      String.raw`summari[sz](?:e|es|ed|ing|ers?)`,
      String.raw`validat(?:e|es|ed|ing|ors?)`,
      String.raw`pretty[- ]?print(?:s|ed|ing|er)?`,
      String.raw`beautif(?:y|ies|ied|ying|iers?)`,
      String.raw`prettif(?:y|ies|ied|ying)`,
      String.raw`pars(?:e|es|ed|ing|ers?)`,
      String.raw`renam(?:e|es|ed|ing)`,
      String.raw`calculat(?:e|es|ed|ing|ors?)`,
      String.raw`merg(?:e|es|ed|ing)`,
      String.raw`transform(?:s|ed|ing|ers?)?`,
      String.raw`tid(?:y|ies|ied|ying)`,
      String.raw`normali[sz](?:e|es|ed|ing|ers?)`,
      String.raw`refactor(?:s|ed|ing)?`,
      String.raw`spell[- ]?check(?:s|ed|ing|ers?)?`,
      String.raw`proofread(?:s|ing|ers?)?`,
      String.raw`minif(?:y|ies|ied|ying|iers?)`,
      String.raw`resiz(?:e|es|ed|ing)`,
      String.raw`indent(?:s|ed|ing)?`,
      String.raw`dedup(?:e|es|ed|ing|licat(?:e|es|ed|ing))?`,
      String.raw`word[- ]count(?:s|ing)?`,
    ].join('|') +
    String.raw`)\b`,
  'i',
);

/**
 * Words that make a purpose more than local: network and web, accounts and services, chat and
 * mail, cloud and deployment, credentials and security, installation and system administration.
 * A single one is enough: the rule only speaks up for skills that claim nothing of the kind.
 */
const BROADER_PURPOSE = new RegExp(
  String.raw`\b(?:` +
    [
      String.raw`networks?|networking|internet|online|offline-first|web|webpages?|websites?|sites?|urls?|https?|apis?|rest|graphql|endpoints?|servers?|serv(?:e|es|ing)|hosts?|hosting|ports?|sockets?|proxy|dns|ip|tunnels?|vpn`,
      String.raw`upload\w*|download\w*|fetch\w*|sync\w*|send\w*|post(?:s|ed|ing)?|publish\w*|deploy\w*|release\w*|push\w*|pull|share\w*|transfer\w*|stream\w*|subscri\w*|broadcast\w*|notif\w*|alert\w*|webhooks?|remote\w*|clouds?|saas`,
      String.raw`slack|discord|teams|telegram|whatsapp|e-?mails?|mail\w*|sms|chat\w*|messag\w*|github|gitlab|bitbucket|jira|confluence|notion|linear|trello|asana|salesforce|hubspot|stripe|twilio|openai|anthropic|llms?|mcp`,
      String.raw`aws|azure|gcp|google|s3|firebase|supabase|vercel|netlify|heroku|docker\w*|kubernetes|k8s|containers?|terraform|ansible|ci|cd|pipelines?`,
      String.raw`databases?|sql\w*|quer(?:y|ies)|search\w*|lookups?|look\s+up|scrap\w*|crawl\w*|brows\w*|rss|feeds?|monitor\w*|telemetry|analytics|track\w*`,
      String.raw`credentials?|secrets?|passwords?|tokens?|auth\w*|oauth|login|ssh|gpg|vault|keychain|security|secure|audit\w*|vulnerab\w*|malware|pentest\w*|firewall|forensic\w*`,
      String.raw`install\w*|setup|set\s+up|configur\w*|environment|system|admin\w*|daemons?|services?|cron|schedul\w*|startup|hooks?|automat\w*|backups?|shell|terminal|dotfiles|integrat\w*|connect\w*|clients?|accounts?|repositor\w*|repos?|clon\w*`,
    ].join('|') +
    String.raw`)\b|\b[\w-]{1,63}\.(?:com|org|net|io|dev|ai|app|co|cloud|sh)\b`,
  'i',
);

/** Jobs that install or run something on the system: a promise to stay local does not rule out persistence for them. */
const SYSTEM_JOB = /\b(?:install\w*|set\s*up|setup|configur\w*|daemons?|services?|brokers?|servers?|systemd|launchd|cron|schedul\w*|startup|autostart|provision\w*)\b/i;

/** A description's promise that the skill works without the network. */
const EXPLICIT_LOCAL = /\b(?:runs?|works?|stays?|happens?|is\s+(?:done|processed))\s+(?:entirely\s+|fully\s+|only\s+|completely\s+|100%\s+)?(?:locally|offline|on\s+(?:your|the\s+user['’]s|this)\s+(?:machine|computer|device|laptop))\b|\bnothing\s+(?:is\s+)?(?:sent|uploaded|shared|transmitted)\b|\bnothing\s+leaves\b|\bno\s+(?:network|internet)\s+(?:access|calls?|requests?|connections?)\b|\b(?:never|doesn['’]t|does\s+not)\s+(?:leave|leaves|upload|uploads|send|sends)\b|\blocal[- ]only\b|\bfully\s+offline\b/i;

const MAX_DESCRIPTION = 4000;
const MAX_PHRASE = 70;

export function localOnlyPurpose(skillMd: FileModel): ClaimedPurpose | undefined {
  const fields = skillMd.frontmatter?.fields;
  const description = fields?.get('description');
  if (!description || typeof description.value !== 'string') return undefined;
  const text = description.value.slice(0, MAX_DESCRIPTION);
  const nameField = fields?.get('name');
  const name = typeof nameField?.value === 'string' ? nameField.value.replace(/[-_]+/g, ' ') : '';
  // "Runs locally on the export file", "nothing leaves your machine": an explicit promise outweighs
  // any broader word around it (the export may come from iCloud; the skill still promises to stay local).
  const promise = EXPLICIT_LOCAL.exec(text);
  if (promise) {
    const systemJob = SYSTEM_JOB.test(text) || SYSTEM_JOB.test(name);
    return { phrase: phraseAt(text, promise.index), start: description.valueStart, end: description.valueEnd, promised: true, ...(systemJob ? { systemJob } : {}) };
  }
  if (BROADER_PURPOSE.test(text) || BROADER_PURPOSE.test(name)) return undefined;
  const inDescription = LOCAL_VERBS.exec(text);
  const phrase = inDescription ? phraseAt(text, inDescription.index) : LOCAL_VERBS.test(name) ? name : undefined;
  if (phrase === undefined) return undefined;
  return { phrase, start: description.valueStart, end: description.valueEnd };
}

/** The claim from its verb to the end of its clause, shortened. */
function phraseAt(text: string, at: number): string {
  const rest = text.slice(at, at + MAX_PHRASE * 2);
  const clause = /^[^.;:!?\n(]{1,160}/.exec(rest)?.[0] ?? rest;
  const words = clause.trim().split(/\s+/);
  let phrase = '';
  for (const word of words) {
    if (phrase.length + word.length + 1 > MAX_PHRASE) break;
    phrase = phrase === '' ? word : `${phrase} ${word}`;
  }
  return phrase.replace(/[,\s]+$/, '');
}
