import { analyseSkill } from '../dataflow';
import type { MatchContext, RawFinding } from '../matchers/types';
import type { ResultMemo } from '../result-memo';
import type { CodeUnit } from '../skill-model';

/**
 * The co-occurrence fallback of the source → sink chain: one script (or code fence) that both
 * reads a sensitive source and sends data over the network, although the dataflow analysis
 * (SKL551/SKL552, server/src/engine/dataflow) could not connect the two. When the analysis did
 * find a flow with its sink in the unit, that flow is the finding and this check stays quiet, so
 * one behaviour gives one finding. The finding sits on the first sink and points at the source.
 */
interface Pattern {
  readonly label: string;
  readonly regex: RegExp;
  /**
   * Weak sources are how benign skills get their own API key (a project `.env`, one named
   * token) before calling that API; with them the chain is only medium until dataflow shows the
   * secret itself is what gets sent.
   */
  readonly weak?: boolean;
}

const SOURCES: readonly Pattern[] = [
  { label: 'SSH keys', regex: /(?:~|\$HOME|\$\{HOME\}|\$ENV\{['"]?HOME['"]?\}|ENV\[['"]HOME['"]\]|Dir\.home|getenv\(['"]HOME['"]\)|homedir\(\)|home\(\)|\$env:(?:USERPROFILE|HOME)|%USERPROFILE%)[^\n]{0,40}?\.ssh\b|['"`]\.ssh['"`/]|\bid_(?:rsa|ed25519|ecdsa|dsa)\b/ },
  // Either slash: Windows scripts spell `$env:USERPROFILE\.aws\credentials`.
  { label: 'cloud credentials', regex: /\.aws[/\\'"`][^\n]{0,20}credentials|['"`]\.aws['"`]|\.config[/\\]gcloud|\.azure\b|\.kube[/\\]config|\.docker[/\\]config\.json/ },
  { label: 'saved Wi-Fi passwords', regex: /\bnetsh\s+wlan\s+show\s+profiles?\b[^\n]{0,120}\bkey\s*=\s*clear\b|\/etc\/NetworkManager\/system-connections\b|\bsecurity\s+find-generic-password\b[^\n]{0,120}AirPort/i },
  { label: 'a `.env` file', weak: true, regex: /(?:^|[\s'"`/@=<(])\.env(?:\.(?:local|production|prod|development|dev|staging))?(?=$|[\s'"`;)|>])/m },
  { label: 'shell rc files', regex: /\.(?:bashrc|zshrc|bash_profile|bash_history|zsh_history)\b/ },
  { label: 'git or package credentials', regex: /\.git-credentials|\.netrc\b|\.npmrc\b|\.pypirc\b|\.git\/config\b|(?:\bgh|GitHub CLI)[/\\]hosts\.yml\b/ },
  // The store files, or a browser's whole profile folder (zipped and sent whole).
  { label: 'browser or wallet stores', regex: /Login Data|Cookies\.sqlite|logins\.json|\bwallet\.dat\b|Local State|keychain|Firefox[/\\]+Profiles|\.mozilla[/\\]+firefox|(?:Chrome|Chromium|Edge|BraveSoftware[/\\]+Brave-Browser)[/\\]+User Data|(?:Google[/\\]+Chrome|google-chrome|chromium|Chromium|BraveSoftware[/\\]+Brave-Browser|Microsoft[/\\]+Edge|microsoft-edge)[/\\]+(?:Default|Profile \d{1,3})[/\\]+(?:Cookies|Login Data|Web Data|History)\b/i },
  { label: 'a password-manager export', regex: /\b(?:bw|op|lpass|keepassxc-cli)\s+export\b/ },
  // A secret scanner's findings hold the secrets themselves unless it redacts them.
  { label: "a secret scanner's unredacted findings", regex: /^(?![\s\S]*--redact)[\s\S]{0,20000}?\b(?:gitleaks|trufflehog)\b/ },
  // A file form field carrying the signing keystore itself: `-F "keystore=@${KEYSTORE}"`.
  { label: 'the signing keystore', regex: /=@["']?\$\{?\w*(?:KEYSTORE|KEY_STORE|JKS|P12|SIGNING_KEY)\w*\}?|=@[^\s"']{1,200}\.(?:jks|keystore|p12|pfx)\b/i },
  { label: 'the whole environment', regex: /(?:^|[;&|(]\s*|\$\(\s*)env\s*(?:\||>|\)|$)|\bdict\(os\.environ\)|os\.environ\.copy\(\)|json\.dumps\(\s*(?:dict\()?os\.environ|JSON\.stringify\(\s*process\.env\s*\)|\bprintenv\b|Object\.entries\(\s*process\.env\s*\)|\b(?:Get-ChildItem|gci|dir|ls)\s+env:|\[(?:System\.)?Environment\]::GetEnvironmentVariables\(\s*\)/im },
  { label: 'named secrets', weak: true, regex: /\b(?:AWS_SECRET_ACCESS_KEY|OPENAI_API_KEY|ANTHROPIC_API_KEY|GITHUB_TOKEN|GH_TOKEN|NPM_TOKEN|SLACK_TOKEN)\b/ },
];

const SINKS: readonly Pattern[] = [
  { label: 'an HTTP upload', regex: /\brequests\.(?:post|put|patch)\s*\(|\bhttpx\.(?:post|put)\s*\(|\burlopen\s*\([^\n]{0,120}data=|\bRequest\s*\([^\n]{0,160}\bdata\s*=|\.request\s*\(\s*['"]POST['"]|\bhttp\.client\.HTTPS?Connection\b/ },
  { label: 'an HTTP upload', regex: /\bfetch\s*\([^\n]{0,200}method\s*:\s*['"](?:POST|PUT)['"]|\baxios\.(?:post|put)\s*\(|\bhttps?\.request\s*\(/ },
  // A curl command may run on over `\` line continuations.
  { label: 'an HTTP upload', regex: /\bcurl\b(?:[^\n\\]|\\\r?\n|\\(?!\r?\n)){0,300}?\s(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file)\b|\bwget\b[^\n]{0,200}--post-(?:file|data)\b/ },
  // PowerShell: WebClient uploads, and requests whose body is a file read in place (a token in
  // `-Headers` with a built body is how scripts call their own API).
  // A body held in a variable counts when the variable was assigned a file's content (the
  // lookbehind runs only where a request sends a variable).
  { label: 'an HTTP upload', regex: /\.Upload(?:String|Data|File|Values)(?:Async)?\s*\(|\b(?:Invoke-(?:RestMethod|WebRequest)|irm|iwr)\b[^\n]{0,200}\s-(?:InFile\b|Body\s{0,5}\(?\s{0,5}(?:Get-Content|gc|cat|type|Get-ChildItem|gci|ls|dir)\b)/i },
  {
    label: 'an HTTP upload',
    regex: /\b(?:Invoke-(?:RestMethod|WebRequest)|irm|iwr)\b[^\n]{0,200}\s-Body\s{0,5}\(?\s{0,5}\$(?<variable>\w{1,40})\b(?<=\$\k<variable>\s{0,5}=\s{0,5}\(?\s{0,5}(?:Get-Content|gc|cat|type|Get-ChildItem|gci|\[(?:System\.)?IO\.File\]::ReadAll\w{0,10}|\[(?:System\.)?Environment\]::GetEnvironmentVariables)\b[\s\S]{0,2400})/i,
  },
  // Ruby, Perl, PHP and Lua clients: a POST, or a form or body handed to a request.
  { label: 'an HTTP upload', regex: /\bNet::HTTP(?:\.post(?:_form)?\s*\(|::Post\b)|\b(?:HTTParty|RestClient|Faraday|HTTP|Excon|Typhoeus)\.post\b|->post(?:_form)?\s*\(|\bHTTP::Request(?:::Common)?\b[^\n]{0,40}\bPOST\b|\bPOST\s*\(\s*['"]https?:|\bCURLOPT_POSTFIELDS\b|\bhttp\.request\s*\{[^\n]{0,120}\bmethod\s*=\s*['"]POST/ },
  // Go's net/http: `http.Post(url, …)`, `http.PostForm`, a request built with POST or PUT.
  { label: 'an HTTP upload', regex: /\bhttp\.Post(?:Form)?\s*\(|\bhttp\.NewRequest(?:WithContext)?\s*\([^\n]{0,60}?(?:"(?:POST|PUT)"|http\.Method(?:Post|Put))/ },
  { label: 'a DNS lookup carrying data', regex: /\b(?:gethostbyname|getaddrinfo|dns\.lookup|dns\.resolve\w*)\s*\(\s*(?:f['"]|`|[A-Za-z_][\w.]*\s*\+)|\b(?:dig|nslookup|host)\s+[^\n]{0,80}\$\{?\w+\}?\./ },
  { label: 'a raw socket', regex: /\.(?:sendall|send|sendto)\s*\(|\bnet\.connect\s*\(|\bnc\s+(?:-\w+\s+)*[\w.-]+\s+\d+|\/dev\/tcp\// },
  { label: 'a webhook', regex: /discord(?:app)?\.com\/api\/webhooks|hooks\.slack\.com\/services|api\.telegram\.org\/bot/ },
];

interface Hit {
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly weak: boolean;
}

/** The earliest hit in `text`, preferring strong sources over weak ones wherever they occur. */
function firstMatch(text: string, patterns: readonly Pattern[]): Hit | undefined {
  let best: Hit | undefined;
  for (const pattern of patterns) {
    const match = pattern.regex.exec(text);
    if (!match) continue;
    const hit = { label: pattern.label, start: match.index, end: match.index + match[0].length, weak: pattern.weak === true };
    const better = !best || (best.weak && !hit.weak) || (best.weak === hit.weak && hit.start < best.start);
    if (better) best = hit;
  }
  return best;
}

/** A unit's first source and first sink, relative to the unit; kept with its text between scans. */
interface UnitHits {
  readonly source?: Hit;
  readonly sink?: Hit;
}

const HITS = {};

function hitsOf(unit: CodeUnit, memo: ResultMemo | undefined): UnitHits {
  const entry = memo?.unit(unit);
  const id = memo?.idOf(HITS) ?? -1;
  const kept = entry?.results.get(id) as UnitHits | undefined;
  if (kept) return kept;
  const source = firstMatch(unit.text, SOURCES);
  const sink = source ? firstMatch(unit.text, SINKS) : undefined;
  const hits: UnitHits = { ...(source ? { source } : {}), ...(sink ? { sink } : {}) };
  entry?.results.set(id, hits);
  return hits;
}

const MAX_UNIT_LENGTH = 1 << 20;

export function sensitiveDataSentOut(context: MatchContext): RawFinding[] {
  const findings: RawFinding[] = [];
  const proven = new Set<CodeUnit>();
  const skill = analyseSkill(context);
  // A unit's conditional flows (see `Flow.unlessHostDisclosed`) prove nothing unless the skill kept them.
  const kept = new Set(skill.flows);
  for (const [unit, analysis] of skill.units) {
    if (analysis.flows.some((flow) => kept.has(flow) && flow.kind !== 'download' && flow.sink.file === unit.file.path && flow.sink.start >= unit.start && flow.sink.end <= unit.end)) {
      proven.add(unit);
    }
  }
  // Read only when a script reaches the host test: the check runs on every keystroke in the editor.
  let disclosedCache: string | undefined;
  const disclosed = (): string => (disclosedCache ??= disclosedText(context));
  for (const unit of context.model.units) {
    // Text units are untagged fences (trees, sample output) and scripts in languages without a
    // grammar (Ruby, Perl, PHP); only the scripts are code for sure.
    if (unit.text.length > MAX_UNIT_LENGTH || (unit.language === 'text' && unit.origin !== 'script') || proven.has(unit)) continue;
    const { source, sink } = hitsOf(unit, context.memo);
    if (!source || !sink) {
      const records = (source ? undefined : personalRecordsSentUndisclosed(unit, disclosed)) ?? mailedToUndisclosedRecipient(unit, disclosed, context);
      if (records) findings.push(records);
      continue;
    }
    const mailed = mailedToUndisclosedRecipient(unit, disclosed, context);
    if (mailed) findings.push(mailed);
    // A named key in a request header is how the request authenticates to its own service.
    if (source.weak && SECRET_IN_HEADER.test(unit.text)) continue;
    findings.push({
      file: unit.file.path,
      start: unit.start + sink.start,
      end: unit.start + sink.end,
      captures: { source: source.label, sink: sink.label },
      ...(source.weak ? { severity: 'medium' as const } : {}),
      related: [{ file: unit.file.path, start: unit.start + source.start, end: unit.start + source.end, message: `Reads ${source.label} here.` }],
    });
  }
  return findings;
}

/** A secret variable passed as a request header (`-H "x-api-key: $ANTHROPIC_API_KEY"`, `Authorization: Bearer ${TOKEN}`). */
const SECRET_IN_HEADER = /(?:-H|--header)\s+["'](?:[\w-]{1,40}:\s*(?:Bearer\s+|token\s+)?\$\{?[A-Z][A-Z0-9_]{0,60}(?:KEY|TOKEN|SECRET)\b|(?:[Aa]uthorization|[Xx]-[Aa]pi-[Kk]ey|[Aa]pi-[Kk]ey|[Xx]-[Aa]uth-[Tt]oken|[Pp]rivate-[Tt]oken):\s*(?:Bearer\s+|token\s+)?\$)/;

/**
 * Field names of a personal record, as keys in code: `"email"`, `m["phone"]`, `row.address`, and
 * object-literal keys (`{ routing: …, account: … }`); bank and identity numbers count.
 */
const PERSONAL_KEY = /["'.](?:[a-z]{1,12}_)?(?<field>e-?mail|email_address|phone(?:_number)?|mobile|street|address(?:_line)?|post_?code|zip(?:_code)?|first_?name|last_?name|full_?name|dob|date_?of_?birth|birth_?date|ssn|last_ip|ip_address|account_?(?:number|no)|account|routing(?:_?number)?|iban|card_?number|tax_?id|national_?id|individual_?id|passport(?:_?(?:number|no))?)(?:_?\d)?\b["']?|(?:[{,][ \t]{0,8}|^[ \t]{0,16})(?:[a-z]{1,12}_)?(?<key>e-?mail|email_address|phone(?:_number)?|mobile|street|address(?:_line)?|post_?code|zip(?:_code)?|first_?name|last_?name|full_?name|dob|date_?of_?birth|birth_?date|ssn|last_ip|ip_address|account_?(?:number|no)|account|routing(?:_?number)?|iban|card_?number|tax_?id|national_?id|individual_?id|passport(?:_?(?:number|no))?)(?:_?\d)?[ \t]{0,4}:(?!:)/gim;
/** Hosts a script names: in URL literals, and as a request option (`host: "api.x.io"`). */
const NAMED_HOST = /https?:\/\/([\w.-]{1,100})|\bhost(?:name)?\s*[:=]\s*["']([\w-]{1,63}(?:\.[\w-]{1,63}){1,6})["']/gi;

/**
 * What the skill tells its user, where a destination is disclosed: SKILL.md and other Markdown;
 * without `except`'s own text when given (a fence's address is not the skill telling its user).
 */
function disclosedText(context: MatchContext, except?: CodeUnit): string {
  return context.model.files
    .filter((file) => file.kind === 'skill-md' || file.kind === 'markdown')
    .map((file) => (file === except?.file ? `${file.text.slice(0, except.start)}\n${file.text.slice(except.end)}` : file.text).slice(0, 200_000))
    .join('\n')
    .toLowerCase();
}

/**
 * A script that builds records of people (two or more personal fields) and uploads data to a
 * host the skill's Markdown never names: the user's contacts, members or buyers sent to an
 * undisclosed third party. A destination the skill names is its declared service and is left to
 * the other checks.
 */
function personalRecordsSentUndisclosed(unit: CodeUnit, disclosed: () => string): RawFinding | undefined {
  if (unit.origin !== 'script' || unit.language === 'text') return undefined;
  const keys = new Set([...unit.text.matchAll(PERSONAL_KEY)].map((match) => (match.groups?.['field'] ?? match.groups?.['key'] ?? '').toLowerCase()));
  if (keys.size < 2) return undefined;
  const sink = firstMatch(unit.text, SINKS);
  if (!sink) return undefined;
  const hosts = [...unit.text.matchAll(NAMED_HOST)].map((match) => (match[1] ?? match[2] ?? '').toLowerCase());
  const hidden = hosts.find((host) => host.includes('.') && !/^(?:localhost|127\.|0\.0\.0\.0)/.test(host) && !disclosed().includes(host));
  if (!hidden) return undefined;
  const fields = [...keys].slice(0, 3).join(', ');
  return {
    file: unit.file.path,
    start: unit.start + sink.start,
    end: unit.start + sink.end,
    captures: { source: `records of people (${fields})`, sink: sink.label },
    message: `This code builds records of people (${fields}) and sends data out through ${sink.label} to ${hidden}, a host the skill's instructions never name: the user's contacts or customers go to an undisclosed third party.`,
    severity: 'high',
  };
}

/** Code that sends mail: smtplib, nodemailer, SES, a `sendmail` call. */
const MAIL_SEND = /\bsmtplib\b|\.send_message\s{0,8}\(|\.sendmail\s{0,8}\(|\bsendMail\s{0,8}\(|\bnodemailer\b|\bsend_(?:raw_)?email\s{0,8}\(|\bSendEmailCommand\b/;
/**
 * A recipient slot: `msg["Bcc"] = …`, `to: …`, `to_addrs=…`, `recipients = [...]`, filled with an
 * address literal or with a constant's name.
 */
const RECIPIENT_SLOT = /\[\s{0,8}["'](?:To|Cc|Bcc)["']\s{0,8}\]\s{0,8}=\s{0,8}(?:["'](?<literal>[^"'\s]{1,64}@[\w.-]{3,100})["']|(?<constant>[A-Za-z_]\w{0,60}))|\b(?:to|cc|bcc|to_addrs|recipients?|Destination)\s{0,8}[:=]\s{0,8}[[{(]?\s{0,8}(?:["'](?<literal2>[^"'\s]{1,64}@[\w.-]{3,100})["']|(?<constant2>[A-Z_][A-Z0-9_]{0,60})\b)/g;
const MAX_RECIPIENT_SLOTS = 50;

/**
 * A script that sends mail to an address it carries itself, which the skill's Markdown never
 * names (neither the address nor its domain): whatever the message holds goes to someone the user
 * was never told about. Recipients the user gives (arguments, configuration) are not literals.
 */
function mailedToUndisclosedRecipient(unit: CodeUnit, disclosed: () => string, context: MatchContext): RawFinding | undefined {
  if ((unit.origin !== 'script' && unit.origin !== 'fence') || unit.language === 'text' || !MAIL_SEND.test(unit.text)) return undefined;
  // A fence's own address is not the skill telling its user where mail goes: search around it.
  let aroundFence: string | undefined;
  const told = unit.origin === 'fence' ? (): string => (aroundFence ??= disclosedText(context, unit)) : disclosed;
  let read = 0;
  for (const slot of unit.text.matchAll(RECIPIENT_SLOT)) {
    if (++read > MAX_RECIPIENT_SLOTS) break;
    const groups = slot.groups ?? {};
    const constant = groups['constant'] ?? groups['constant2'];
    const address = (groups['literal'] ?? groups['literal2'] ?? (constant ? constantAddress(unit.text, constant) : undefined))?.toLowerCase();
    if (!address) continue;
    const domain = address.slice(address.lastIndexOf('@') + 1);
    if (!domain.includes('.') || /(?:^|\.)(?:example\.(?:com|org|net)|localhost|test|invalid|local)$/.test(domain)) continue;
    if (told().includes(address) || told().includes(domain)) continue;
    return {
      file: unit.file.path,
      start: unit.start + slot.index,
      end: unit.start + slot.index + slot[0].length,
      captures: { source: 'the message', sink: 'mail' },
      message: `This code mails what it sends to ${address}, an address it carries itself and the skill's instructions never name, so the message and its attachments go to someone the user was never told about.`,
      severity: 'high',
    };
  }
  return undefined;
}

/** The address a module constant holds: `RETENTION_COPY = "x@y.com"`, `const BCC = 'x@y.com'`. */
function constantAddress(text: string, name: string): string | undefined {
  const escaped = name.replace(/[^\w]/g, '');
  const match = new RegExp(`^[ \\t]*(?:(?:export[ \\t]+)?(?:const|let|var)[ \\t]+)?${escaped}[ \\t]*(?::[ \\t]*\\w{1,20}[ \\t]*)?=[ \\t]*["']([^"'\\s]{1,64}@[\\w.-]{3,100})["']`, 'm').exec(text);
  return match?.[1];
}
