/**
 * What counts as a source in the dataflow analysis, and the small vocabulary shared by the three
 * language walkers: sensitive paths, secret-shaped variable names, commands that dump the
 * environment or read the clipboard, and the contexts in which a secret is used as a credential
 * (an Authorization header, a `key=` query parameter) rather than sent as data.
 *
 * Every pattern here runs on short, bounded strings (a folded path or a name), never on a whole
 * file, and none of them can backtrack badly.
 */

export type SourceCategory =
  /** Contents of a credential or key file: SSH keys, cloud credentials, browser stores. */
  | 'credential-file'
  /** The whole environment: `os.environ`, `process.env`, `env`, `printenv`. */
  | 'environment'
  /** One environment variable whose name says it holds a secret. */
  | 'named-secret'
  /** Contents of a project `.env` file. */
  | 'dotenv'
  /** Clipboard, screen captures, keystrokes. */
  | 'privacy'
  /** Data fetched from the network. */
  | 'download'
  /**
   * The script's own command-line arguments (`sys.argv`, `parse_args()`): whoever runs the script
   * chooses them. Never a flow; it tells a command runner from a command built out of data.
   */
  | 'caller-input';

/** Categories that benign skills use as credentials for their own API. */
export function isCredentialCategory(category: SourceCategory): boolean {
  return category === 'named-secret' || category === 'dotenv';
}

interface PathKind {
  readonly category: SourceCategory;
  readonly description: string;
  readonly pattern: RegExp;
}

/**
 * What an agent hands a hook script on its standard input: the user's prompt (`UserPromptSubmit`),
 * the tool calls with their inputs and results (`PreToolUse`, `PostToolUse`) and the path of the
 * session's transcript.
 */
export const HOOK_INPUT: PathSource = { category: 'privacy', description: "the hook's input (the user's prompts, the session's tool calls and its transcript path)" };

/** The description of files a wildcard sweeps out of the user's personal folders. */
export const SWEPT_PERSONAL_FILES = "a wildcard sweep of the user's personal folders";

/** The description of the stores of the user's messages, mail and notes. */
export const MESSAGE_STORES = "the user's messages, mail or notes";

/**
 * Applied to a folded path (`~` for the home directory, `*` for unknown parts). Public keys and
 * `known_hosts` are left out: reading them is routine.
 */
const SENSITIVE_PATHS: readonly PathKind[] = [
  // Every process's environment, or this one's, read from procfs: the tokens other programs were started with.
  { category: 'environment', description: "the environment of the user's processes (`/proc/…/environ`)", pattern: /^\/proc\/+(?:\*|self|\d{1,7}|\$\w{1,20})\/+environ$/ },
  { category: 'credential-file', description: 'the SSH private key', pattern: /\.ssh\/+(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|[\w.-]{0,40}\.pem)$/i },
  { category: 'credential-file', description: 'SSH keys', pattern: /\.ssh(?:\/+(?:\*|[\w.-]{0,40}key[\w.-]{0,20}|config|authorized_keys|id_[\w.-]{0,20}\*[\w.*-]{0,20}|\*[\w.-]{0,20}\.pem))?\/*$/i },
  { category: 'credential-file', description: 'the SSH private key', pattern: /(?:^|[/\\*])id_(?:rsa|dsa|ecdsa|ed25519)$/ },
  { category: 'credential-file', description: 'AWS credentials', pattern: /\.aws(?:\/+(?:credentials|config|\*|(?:sso|cli)\/+cache(?:\/[^/]{0,120})?))?\/*$/i },
  { category: 'credential-file', description: 'Google Cloud credentials', pattern: /\.config\/+gcloud(?:\/|$)|application_default_credentials\.json$/i },
  { category: 'credential-file', description: 'Azure credentials', pattern: /\.azure(?:\/|$)/i },
  { category: 'credential-file', description: 'the Kubernetes config', pattern: /\.kube\/+config$|\.kube\/*$/i },
  // Docker's, Podman's (`containers/auth.json`) and Helm's registry logins.
  { category: 'credential-file', description: 'Docker registry credentials', pattern: /\.docker\/+config\.json$|(?:\.config\/+|XDG_RUNTIME_DIR\}?\/+|\/run\/+user\/+[^/]{1,20}\/+)containers\/+auth\.json$|\.config\/+helm\/+registry\/+config\.json$/i },
  // Composer's `auth.json`, Yarn's `npmAuthToken`, pip's index password and NuGet's feed passwords too.
  { category: 'credential-file', description: 'git or package-registry credentials', pattern: /(?:^|\/)\.(?:git-credentials|netrc|npmrc|pypirc|yarnrc\.yml)$|\.git\/+config$|\.config\/+gh\/+hosts\.yml$|\.composer\/+auth\.json$|\.config\/+pip\/+pip\.conf$|(?:^|\/)pip\/+pip\.ini$|NuGet\/+NuGet\.Config$/i },
  { category: 'credential-file', description: 'a browser or wallet store', pattern: /Login Data$|Cookies(?:\.sqlite)?$|logins\.json$|key[34]\.db$|Local State$|wallet\.dat$|\.electrum(?:\/|$)|Exodus(?:\/|$)|\.password-store(?:\/|$)|Keychains?(?:\/|$)|\.gnupg(?:\/|$)/i },
  // Tokens of developer tools and coding agents: Vault, Maven, the Codex, Gemini and Copilot CLIs.
  { category: 'credential-file', description: 'a developer tool or coding agent token', pattern: /(?:^|\/)\.vault-token$|\.m2\/+settings(?:-security)?\.xml$|\.codex\/+auth\.json$|\.gemini\/+oauth_creds\.json$|\.config\/+github-copilot\/+(?:hosts|apps)\.json$/i },
  // Where cloud, hosting and data-platform CLIs keep their login: Fly, Vercel, Netlify, Cloudflare's
  // wrangler, Stripe, Railway, Heroku, DigitalOcean, Databricks, Snowflake, dbt, Kaggle, OpenAI,
  // hub and glab, IBM Cloud, Oracle Cloud, s3cmd, boto, rclone, Claude Code's own login.
  {
    category: 'credential-file',
    description: "a cloud or service CLI's stored login",
    pattern:
      /\.fly\/+config\.yml$|com\.vercel\.cli\/+auth\.json$|\.vercel\/+auth\.json$|\.netlify\/+config\.json$|\.wrangler\/+config\/+default\.toml$|\.config\/+stripe\/+config\.toml$|\.railway\/+config\.json$|\.config\/+heroku\/+config\.json$|\.config\/+doctl\/+config\.yaml$|(?:^|\/)\.databrickscfg$|\.snowflake\/+(?:connections|config)\.toml$|\.dbt\/+profiles\.yml$|\.kaggle\/+kaggle\.json$|\.config\/+openai\/+auth\.json$|\.config\/+hub$|\.config\/+glab-cli\/+config\.yml$|\.bluemix\/+config\.json$|\.oci\/+config$|(?:^|\/)\.(?:s3cfg|boto)$|\.config\/+rclone\/+rclone\.conf$|\.claude\/+\.credentials\.json$|\.config\/+ngrok\/+ngrok\.yml$|\.ngrok2\/+ngrok\.yml$|\.config\/+hcloud\/+cli\.toml$|\.config\/+configstore\/+firebase-tools\.json$/i,
  },
  // Password managers and keyrings, and the Local Storage where Electron apps (Discord, Slack) keep their session tokens.
  { category: 'credential-file', description: 'a password manager, keyring or app token store', pattern: /\.config\/+op(?:\/|$)|\.local\/+share\/+keyrings(?:\/|$)|Local Storage\/+leveldb(?:\/|$)/i },
  // Clients that keep their saved connection passwords in a file: FileZilla, DBeaver, Pidgin, WinSCP, Remmina.
  { category: 'credential-file', description: "a client's saved connection passwords", pattern: /filezilla\/+(?:sitemanager|recentservers)\.xml$|\.dbeaver\/+credentials-config\.json$|\.purple\/+accounts\.xml$|(?:^|\/)WinSCP\.ini$|remmina\/+[^/]{1,120}\.remmina$/i },
  // Private keys other than SSH's: Android's debugging key, age keys (sops), minisign's signing key.
  { category: 'credential-file', description: 'a signing or encryption private key', pattern: /\.android\/+adbkey$|\.config\/+(?:sops\/+)?age\/+keys\.txt$|\.minisign\/+minisign\.key$/i },
  // A messenger's logged-in session: Telegram Desktop's `tdata`, Slack's cookies, the key to Signal's database.
  { category: 'credential-file', description: "a messenger's session store", pattern: /Telegram ?Desktop\/+tdata(?:\/|$)|Signal\/+config\.json$|Slack\/+(?:Cookies|storage)(?:\/|$)/i },
  // What the user wrote and received: Messages, Mail and Notes on macOS, WhatsApp's and Signal's databases, Thunderbird's profiles.
  { category: 'privacy', description: MESSAGE_STORES, pattern: /Library\/+(?:Messages|Mail)(?:\/|$)|group\.com\.apple\.notes(?:\/|$)|NoteStore\.sqlite$|ChatStorage\.sqlite$|Signal\/+sql\/+db\.sqlite$|Thunderbird\/+Profiles(?:\/|$)|\.thunderbird(?:\/|$)/i },
  // A file under the home folder named for the token or key it holds (`~/.config/tool/api_key`, `~/.tool/token`).
  { category: 'credential-file', description: "the home folder's token files", pattern: /^~\/(?:[^/]{1,80}\/){1,4}\.?(?:api[_-]?key|(?:auth|access|refresh)?[_-]?token)(?:\.(?:txt|json))?$/i },
  { category: 'credential-file', description: 'shell rc or history files', pattern: /(?:^|\/)\.(?:bashrc|bash_aliases|zshrc|bash_profile|zprofile|profile|bash_history|zsh_history|python_history|psql_history|mysql_history)$/i },
  { category: 'credential-file', description: 'database password files', pattern: /(?:^|\/)\.(?:pgpass|my\.cnf|mylogin\.cnf)$/i },
  { category: 'credential-file', description: 'the system password hashes', pattern: /^\/etc\/+(?:shadow|gshadow|master\.passwd)$/ },
  // Streaming software keeps the stream key in its profile: whoever has it broadcasts as the user.
  { category: 'credential-file', description: 'a streaming profile with the stream key', pattern: /(?:obs-studio\/+)?basic\/+profiles\/+(?:[^/]{1,80}\/+)?service\.json$/i },
  { category: 'credential-file', description: 'Terraform state files', pattern: /(?:^|\/)[\w*.-]{0,80}\.tfstate(?:\.backup)?$/i },
  { category: 'credential-file', description: 'Terraform Cloud credentials', pattern: /\.terraform\.d\/+credentials\.tfrc\.json$|(?:^|\/)\.terraformrc$/i },
  // Key and certificate-store files anywhere under the home folder (`find ~ -name "*.pem"`).
  { category: 'credential-file', description: "the home folder's private key files", pattern: /^~\/(?:[^/]{0,80}\/){0,6}[\w*.-]{0,60}\.(?:pem|key|p12|pfx|ppk|jks|keystore|kdbx)$/i },
  // Any tool's `credentials` file in the home folder (`~/.config/*/credentials*`, `~/.fly/credentials.json`);
  // a project's own `credentials.json` is left to the skill that uses it.
  { category: 'credential-file', description: "the home folder's credential files", pattern: /^~\/(?:[^/]{1,80}\/){1,4}\.?credentials(?:\*|\.[\w*]{1,8})?$/i },
  // A key file whose path the environment holds (`ASC_KEY_PATH`, `GOOGLE_APPLICATION_CREDENTIALS`): the
  // walkers fold such a variable to `${NAME}`, see `keyFileVariable`.
  { category: 'credential-file', description: 'a key file named by an environment variable', pattern: /^\$\{[A-Za-z_]\w{0,80}\}$/ },
  // Home Assistant keeps its integration passwords in `secrets.yaml` and its login tokens in `.storage/auth`.
  { category: 'credential-file', description: 'the Home Assistant secrets file', pattern: /(?:^|\/)(?:config|homeassistant|hassio)\/+(?:[^/]{1,40}\/+){0,3}(?:secrets\.ya?ml|\.storage\/+auth(?:_provider\.homeassistant)?)$|(?:^|\/)\.storage\/+auth(?:_provider\.homeassistant)?$/i },
  // `~/**/.env`, `/home/*/.env`: a sweep over every project's secrets, not the skill's own `.env`.
  { category: 'credential-file', description: 'every `.env` file under the home folder', pattern: /^(?:~|\/home|\/Users|\/root)(?:\/+\*{1,2})+\/+(?:\*\*\/+)?\.env(?:\.[\w*]{1,20})?$/i },
  { category: 'dotenv', description: 'a `.env` file', pattern: /(?:^|\/)\.env(?:\.(?:local|production|prod|development|dev|staging|test))?$/i },
  // A whole personal folder (not one file in it, which the user may have pointed the skill at).
  { category: 'privacy', description: "the user's personal folders", pattern: /^~\/+(?:Documents|Desktop|Pictures|Photos|Movies|Music|Downloads)(?:\/+\*{1,2})?\/*$/ },
  // Files swept by a wildcard out of them (`~/Downloads/*.pdf`, `~/Documents/**/*statement*`): whatever
  // is there, not a file the user chose. Sent only where the skill says (see `flowVerdict`).
  { category: 'privacy', description: SWEPT_PERSONAL_FILES, pattern: /^~\/+(?:Documents|Desktop|Pictures|Photos|Downloads)\/+(?:[^/]{1,60}\/+){0,4}[^/]{0,60}\*[^/]{0,60}$/ },
];

export interface PathSource {
  readonly category: SourceCategory;
  readonly description: string;
  /**
   * For a token a service's own CLI prints (`az account get-access-token`, `gh auth token`): the
   * vendor whose hosts accept it, so that using it as a request's credential there is no flow.
   */
  readonly vendor?: string;
}

const MAX_PATH_LENGTH = 400;

/** Classifies a folded path; undefined when the path is not a known sensitive location. */
export function classifyPath(folded: string | undefined): PathSource | undefined {
  if (folded === undefined || folded.length === 0 || folded.length > MAX_PATH_LENGTH) return undefined;
  const path = folded.replace(/\\/g, '/').replace(/^["']|["']$/g, '').replace(/[?#].*$/, '');
  if (/\.pub$|known_hosts$/i.test(path)) return undefined;
  const workload = workloadCredentialSource(path);
  if (workload) return workload;
  for (const kind of SENSITIVE_PATHS) {
    if (kind.pattern.test(path)) return { category: kind.category, description: kind.description };
  }
  return undefined;
}

/**
 * The credentials a cloud machine, container or pod holds for its role: the instance metadata
 * service's credential paths (AWS, Azure, Google Cloud), ECS's task-credential endpoint, and the
 * service-account tokens Kubernetes mounts into a pod.
 */
const WORKLOAD_CREDENTIALS = /(?:169\.254\.169\.254|\[?fd00:ec2::254\]?)\/latest\/meta-data\/iam\/security-credentials|169\.254\.169\.254\/metadata\/identity\/oauth2\/token|(?:metadata\.google\.internal|169\.254\.169\.254)\/computeMetadata\/v1\/instance\/service-accounts\/[^/\s]{1,100}\/(?:token|identity)|169\.254\.170\.2\/|\/run\/secrets\/(?:kubernetes\.io|eks\.amazonaws\.com)\/serviceaccount\/token|\/run\/secrets\/azure\/tokens\//;

/** The source a URL or path names when it is where a cloud workload's own credentials are read. */
export function workloadCredentialSource(text: string | undefined): PathSource | undefined {
  if (text === undefined || text.length > MAX_PATH_LENGTH || !WORKLOAD_CREDENTIALS.test(text)) return undefined;
  return /\/run\/secrets\//.test(text)
    ? { category: 'credential-file', description: "the pod's service-account token" }
    : { category: 'credential-file', description: "the cloud instance's role credentials" };
}

/** The link-local metadata service (or its name): a request to it does not leave the machine. */
export function isMetadataHost(host: string | undefined): boolean {
  return host !== undefined && /^(?:169\.254\.\d{1,3}\.\d{1,3}|metadata\.google\.internal|\[?fd00:ec2::254\]?)$/i.test(host);
}

const KEY_FILE_NAME = /(?:^|_)(?:KEY|PRIVATE_KEY|PEM|P8|P12|PFX|KEYSTORE|JKS|CREDENTIALS?|SECRETS?|SERVICE_ACCOUNT|SA_KEY)_(?:PATH|FILE)$|^GOOGLE_APPLICATION_CREDENTIALS$/;

/**
 * An environment variable whose name says it holds the path of a key or credentials file
 * (`ASC_KEY_PATH`, `SIGNING_KEYSTORE_FILE`, `GOOGLE_APPLICATION_CREDENTIALS`): its value folds to
 * `${NAME}`, which {@link classifyPath} reads as a credential file, so opening it is reading a key.
 */
export function keyFileVariable(name: string): string | undefined {
  return name.length <= 80 && KEY_FILE_NAME.test(name.toUpperCase()) ? `\${${name}}` : undefined;
}

/** Names whose value is the home directory; they fold to `~` in paths. */
export const HOME_VARIABLES: ReadonlySet<string> = new Set(['HOME', 'USERPROFILE']);

const SECRET_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|API_?KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|SECRET_KEY|KEY|AUTH|PAT)$|(?:^|_)SECRET_|^(?:AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN)$/;
const CONNECTION_STRING_NAME = /^(?:[A-Z0-9]+_)?(?:DATABASE|DB|REDIS|MONGO(?:DB)?|POSTGRES(?:QL)?|PG|MYSQL|AMQP|RABBITMQ)_(?:URL|URI|DSN)$/;
const NOT_SECRET_NAME = /(?:^|_)(?:PUBLIC|PUBLISHABLE)(?:_|$)|_(?:PATH|FILE|DIR|NAME|ID|URL|URI|HOST|PORT|ENDPOINT|REGION|TYPE|MODE|LENGTH|SIZE|LIMIT|COUNT)$/;

/** True for environment variable names that say they hold a secret (`*_TOKEN`, `*_API_KEY`, …). */
export function isSecretName(name: string): boolean {
  if (name.length === 0 || name.length > 100 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  const upper = name.toUpperCase();
  if (CONNECTION_STRING_NAME.test(upper)) return true;
  if (/^(?:AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN)$/.test(upper)) return true;
  if (NOT_SECRET_NAME.test(upper)) return false;
  return SECRET_NAME.test(upper);
}

/** Words in a secret's name that say nothing about which service it belongs to. */
const GENERIC_NAME_WORDS: ReadonlySet<string> = new Set([
  'API', 'KEY', 'KEYS', 'TOKEN', 'SECRET', 'ACCESS', 'AUTH', 'PRIVATE', 'CLIENT', 'APP', 'MY', 'USER', 'PASSWORD',
  'PASS', 'BOT', 'BEARER', 'SERVICE', 'PERSONAL', 'DEFAULT', 'MASTER', 'ADMIN', 'DATABASE', 'DB', 'URL', 'SESSION', 'PAT',
]);

/** Services whose hosts do not contain the word their variables are named after. */
const VENDOR_HOST_ALIASES: Readonly<Record<string, readonly string[]>> = {
  AWS: ['amazonaws', 'aws'],
  GH: ['github'],
  GEMINI: ['googleapis', 'google'],
  GOOGLE: ['googleapis', 'google'],
  GCP: ['googleapis', 'google'],
  HF: ['huggingface', 'hf'],
  HUGGINGFACE: ['huggingface', 'hf'],
  AZURE: ['azure', 'microsoft', 'windows', 'office'],
  MS: ['microsoft', 'azure', 'office'],
  JIRA: ['atlassian', 'jira'],
  CONFLUENCE: ['atlassian'],
  ATLASSIAN: ['atlassian'],
  DD: ['datadoghq', 'datadog'],
  META: ['facebook', 'fb', 'instagram', 'whatsapp', 'meta'],
  FACEBOOK: ['facebook', 'fb'],
  FB: ['facebook', 'fb'],
  INSTAGRAM: ['instagram', 'facebook'],
  IG: ['instagram', 'facebook'],
  WHATSAPP: ['whatsapp', 'facebook'],
  DATADOG: ['datadoghq', 'datadog'],
  CF: ['cloudflare'],
  CLAUDE: ['anthropic', 'claude'],
  GITLAB: ['gitlab'],
  NPM: ['npmjs', 'npm'],
  PYPI: ['pypi', 'pythonhosted'],
  SLACK: ['slack'],
  OPENAI: ['openai', 'azure'],
};

/**
 * Services whose keys are worth stealing in their own right: a secret named after one of them and
 * sent to another host is theft, whatever the skill says about that host. A secret named after
 * anything else (`LICENCE_API_TOKEN`, `ACME_KEY`) is the skill's own name for its own service's
 * key, and is judged like a generic one (see `flowVerdict`).
 */
const WELL_KNOWN_VENDORS: ReadonlySet<string> = new Set([
  ...Object.keys(VENDOR_HOST_ALIASES),
  'GITHUB', 'ANTHROPIC', 'OPENAI', 'OPENROUTER', 'MISTRAL', 'COHERE', 'GROQ', 'DEEPSEEK', 'PERPLEXITY', 'XAI', 'TOGETHER', 'FIREWORKS',
  'REPLICATE', 'STRIPE', 'PAYPAL', 'SQUARE', 'PLAID', 'BRAINTREE', 'COINBASE', 'BINANCE', 'KRAKEN', 'ALCHEMY', 'INFURA', 'ETHERSCAN',
  'TWILIO', 'SENDGRID', 'MAILGUN', 'POSTMARK', 'MAILCHIMP', 'DISCORD', 'TELEGRAM', 'TWITTER', 'FACEBOOK', 'META', 'INSTAGRAM',
  'LINKEDIN', 'DROPBOX', 'BOX', 'ZOOM', 'HUBSPOT', 'SALESFORCE', 'ZENDESK', 'INTERCOM', 'SHOPIFY', 'NOTION', 'AIRTABLE', 'ASANA',
  'TRELLO', 'LINEAR', 'SENTRY', 'NEWRELIC', 'PAGERDUTY', 'HEROKU', 'VERCEL', 'NETLIFY', 'CLOUDFLARE', 'DIGITALOCEAN', 'LINODE',
  'FLY', 'RENDER', 'RAILWAY', 'SUPABASE', 'FIREBASE', 'MONGODB', 'MONGO', 'PINECONE', 'DOCKER', 'DOCKERHUB', 'BITBUCKET',
  'CIRCLECI', 'TRAVIS', 'BUILDKITE', 'SNYK', 'SONAR', 'CODECOV', 'TERRAFORM', 'VAULT', 'NGROK', 'TAILSCALE', 'OKTA', 'AUTH0',
  'ELASTIC', 'ALGOLIA', 'SEGMENT', 'MIXPANEL', 'AMPLITUDE', 'GCLOUD', 'AMAZON', 'MICROSOFT', 'APPLE', 'SPOTIFY', 'YOUTUBE',
]);

export function isWellKnownVendor(vendor: string): boolean {
  return WELL_KNOWN_VENDORS.has(vendor);
}

/**
 * The service a secret's name points to (`OPENAI_API_KEY` → `OPENAI`), or undefined when the
 * name is generic (`API_KEY`, `SECRET_TOKEN`).
 */
export function secretVendor(name: string): string | undefined {
  const words = name.toUpperCase().split('_').filter((word) => word.length > 0);
  const first = words.find((word) => !GENERIC_NAME_WORDS.has(word));
  if (!first || first.length < 2) return undefined;
  // `AA_API_KEY`, `XY_TOKEN`: a short prefix is an abbreviation we cannot match to a host.
  if (first.length <= 3 && VENDOR_HOST_ALIASES[first] === undefined) return undefined;
  return first;
}

/**
 * Secrets that no API takes as a credential: private and signing keys, wallet seeds. They are
 * never "used as a credential", wherever they are placed in a request.
 */
const NEVER_SENT_NAME = /(?:^|_)(?:SSH|SIGNING|ENCRYPTION|WALLET|MNEMONIC|SEED)(?:_|$)|PRIVATE_KEY|JWT_SECRET|SESSION_SECRET|SECRET_KEY_BASE|MASTER_KEY/;

export function isNeverSentSecret(name: string): boolean {
  return NEVER_SENT_NAME.test(name.toUpperCase());
}

/** True when `host` plausibly belongs to the service the secret is named after. */
export function hostMatchesVendor(vendor: string, host: string): boolean {
  const squashed = host.toLowerCase().replace(/[.-]/g, '');
  const names = VENDOR_HOST_ALIASES[vendor] ?? [vendor.toLowerCase()];
  return names.some((name) => squashed.includes(name)) || squashed.includes(vendor.toLowerCase());
}

/** The literal host at the start of a folded URL, if the URL starts with one. */
export function literalHost(folded: string | undefined): string | undefined {
  if (!folded) return undefined;
  const match = /^\s*["']?(?:https?|wss?|ftp):\/\/(?:[^@/\s*]{0,100}@)?([A-Za-z0-9.-]{1,253})/i.exec(folded);
  return match?.[1];
}

/** A URL anywhere in a folded command line. */
export function hostInText(folded: string | undefined): string | undefined {
  if (!folded) return undefined;
  // A label the script fills in (`https://$STORE.myshopify.com`) folds to `*`: the rest still names the service.
  const match = /(?:https?|wss?|ftp):\/\/(?:[^@/\s*'"]{0,100}@)?((?:\*[A-Za-z0-9-]{0,63}\.)?[A-Za-z0-9.-]{1,253})/i.exec(folded);
  const host = match?.[1];
  // `*` alone, or `*.com`, names no service.
  if (!host || (host.startsWith('*') && !/\.[A-Za-z0-9-]{1,63}\.[A-Za-z]{2,}$/.test(host))) return undefined;
  return host;
}

/**
 * Text just before an interpolated value that makes the value a credential: an Authorization or
 * API-key header, a `Bearer ` prefix, a `key=`/`token=` query parameter, a Telegram-style
 * `/bot<token>` path, or curl's `-u`/`--user`/`-H` options.
 */
const CREDENTIAL_PREFIX =
  /(?:authorization|x-api-key|api-key|apikey|x-[\w-]{0,30}(?:key|token)|private-token|x-auth[\w-]{0,20})\s*:\s*(?:bearer|token|basic|apikey)?\s*$|\b(?:bearer|token|basic)\s+$|[?&](?:api[_-]?key|apikey|key|token|access[_-]?token|auth[_-]?token|auth|app[_-]?key|appid|client[_-]?secret|password)=$|\/bot$|(?:^|\s)(?:-u|--user|--oauth2-bearer)\s+["']?(?:[^\s"']{0,80}:)?$|(?:^|\s)(?:-H|--header)\s+["']?[\w-]{1,40}:\s*(?:bearer\s+|token\s+|basic\s+)?$/i;

export function isCredentialPrefix(textBefore: string): boolean {
  return CREDENTIAL_PREFIX.test(textBefore.slice(-120));
}

/** A form or query prefix such as `token=` or `"api_key": ` inside a request body. */
const CREDENTIAL_FIELD_PREFIX = /(?:^|[\s&?{,"'])(?:api[_-]?key|apikey|key|token|access[_-]?token|input[_-]?token|auth[_-]?token|auth|app[_-]?key|client[_-]?secret|password|secret)["']?\s*[=:]\s*["']?$/i;

export function isCredentialFieldPrefix(textBefore: string): boolean {
  return CREDENTIAL_FIELD_PREFIX.test(textBefore.slice(-60));
}

const CREDENTIAL_KEYS: ReadonlySet<string> = new Set([
  'authorization', 'proxyauthorization', 'xapikey', 'apikey', 'apitoken', 'apisecret', 'xauthtoken', 'xaccesstoken',
  'auth', 'authtoken', 'accesstoken', 'token', 'key', 'privatetoken', 'xgoogapikey', 'bearer', 'password', 'clientsecret',
  'secretkey', 'appkey', 'subscriptionkey', 'ocpapimsubscriptionkey', 'secret', 'passwd', 'pass', 'credentials', 'cookie',
]);

/** True for header names and body fields that carry a credential (`Authorization`, `api_key`). */
export function isCredentialKey(key: string): boolean {
  const squashed = key.toLowerCase().replace(/[-_\s]/g, '');
  if (CREDENTIAL_KEYS.has(squashed)) return true;
  return /^x[a-z0-9]{0,30}(?:key|token)$/.test(squashed);
}

/** Shell programs that send data over the network when their arguments or stdin carry it. */
export const NETWORK_PROGRAMS: ReadonlySet<string> = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'scp', 'sftp', 'ftp', 'rsync', 'ssh', 'sendmail', 'mail', 'mailx', 'http', 'https', 'xh',
]);
/** Programs that open a page in the browser: what is put into the address goes to its host. */
export const BROWSER_PROGRAMS: ReadonlySet<string> = new Set(['open', 'xdg-open', 'sensible-browser', 'x-www-browser', 'firefox', 'chromium', 'chromium-browser', 'google-chrome', 'brave-browser', 'microsoft-edge']);
export const DNS_PROGRAMS: ReadonlySet<string> = new Set(['dig', 'nslookup', 'host', 'drill', 'resolvectl', 'kdig', 'delv', 'doggo']);
/** Programs that look up the host name they are given before they send anything: the name itself reaches DNS. */
const NAME_RESOLVING_PROGRAMS: ReadonlySet<string> = new Set(['ping', 'ping6', 'traceroute', 'traceroute6', 'tracepath', 'mtr']);

/**
 * What an argument vector a script runs (`subprocess.run([…])`, `spawn(…)`, a command string's
 * words) sends over the network, for the sink the Python and JavaScript walkers make of it: a page
 * the browser opens (what is put into its address goes to the host), or the network or DNS tool it
 * runs (the first such word, wrappers before it allowed), with the host its words name.
 */
export type NetworkCommand =
  | { readonly kind: 'browser'; readonly host: string | undefined; readonly description: string }
  | { readonly kind: 'tool'; readonly index: number; readonly tool: string; readonly dns: boolean; readonly host: string | undefined; readonly description: string };

export function networkCommandOf(words: readonly string[]): NetworkCommand | undefined {
  const line = words.join(' ');
  const host = hostInText(line);
  if (BROWSER_PROGRAMS.has((words[0] ?? '').replace(/^.*\//, '')) && /https?:\/\//i.test(line)) {
    return { kind: 'browser', host, description: `a page the browser opens at ${host ?? 'a remote server'}` };
  }
  const index = words.findIndex((word, at) => NETWORK_PROGRAMS.has(word.replace(/^.*\//, '')) || dnsLookupProgram(words.slice(at)) !== undefined);
  if (index < 0) return undefined;
  const tool = (words[index] ?? '').replace(/^.*\//, '');
  const dns = dnsLookupProgram(words.slice(index)) !== undefined;
  return { kind: 'tool', index, tool, dns, host, description: dns ? `a DNS lookup with \`${tool}\`` : `a \`${tool}\` command${host ? ` to ${host}` : ''}` };
}

/**
 * The program of a command line (its words, program first) that puts the names it is given into
 * DNS queries: the DNS clients, `getent hosts|ahosts…` (the C library's resolver), and tools such
 * as `ping` that resolve their target first. Undefined for any other command.
 */
export function dnsLookupProgram(words: readonly string[]): string | undefined {
  const program = (words[0] ?? '').replace(/^.*\//, '');
  if (DNS_PROGRAMS.has(program) || NAME_RESOLVING_PROGRAMS.has(program)) return program;
  if (program === 'getent' && /^a?hosts(?:v[46])?$/.test(words[1] ?? '')) return program;
  return undefined;
}

/** What a shell command line outputs, when it is a source: `env`, `pbpaste`, `cat ~/.ssh/id_rsa`. */
/**
 * A password prompt worded as the system's (`[sudo] password for $USER:`, "your Mac password",
 * "administrator password"): what the user types there is the login password. A prompt for a
 * service's own token or password is not one. SKL616's pattern (rules/credentials) names the same
 * wordings for the prompt itself; change both together.
 */
const SYSTEM_PASSWORD_PROMPT =
  /\[sudo\]|\bsudo\b|\broot\b|\badministrator\b|\badmin(?:istrator)?\s+password|\b(?:system|login|account|user|computer|mac|macos|windows|keychain|device)\s+password|\bpassword\s+for\s+[$%{\w]|\b(?:requires?|needs?)\s+your\s+password/i;

/** The source a prompt for the login password gives, when `prompt` reads like the system's. */
export function systemPasswordPrompt(prompt: string): PathSource | undefined {
  return SYSTEM_PASSWORD_PROMPT.test(prompt) ? { category: 'credential-file', description: 'the login password, typed into a prompt the skill shows' } : undefined;
}

/** What a password box the skill shows (`osascript`, `zenity`, `kdialog`, `yad`) returns. */
const DIALOG_PASSWORD: PathSource = { category: 'credential-file', description: 'a password typed into a dialog the skill shows' };

export function shellCommandSource(words: readonly string[]): PathSource | undefined {
  const program = (words[0] ?? '').replace(/^.*\//, '');
  const rest = words.slice(1);
  switch (program) {
    // `osascript -e 'display dialog "…" default answer "" with hidden answer'`: a password box.
    case 'osascript':
      return rest.some((word) => /\bwith\s+hidden\s+answer\b/.test(word)) ? DIALOG_PASSWORD : undefined;
    // The same box on Linux desktops: `zenity --password`, `kdialog --password "…"`, `yad --entry --hide-text`.
    case 'zenity':
    case 'kdialog':
    case 'yad':
      return rest.some((word) => /^--(?:password|hide-text)\b/.test(word)) ? DIALOG_PASSWORD : undefined;
    case 'env':
    case 'printenv':
      if (rest.every((word) => word.startsWith('-'))) return { category: 'environment', description: 'the whole environment' };
      if (program === 'printenv' && rest.length === 1 && isSecretName(rest[0] ?? '')) {
        return { category: 'named-secret', description: `the secret variable ${rest[0] ?? ''}` };
      }
      return undefined;
    case 'set':
    case 'export':
    case 'declare':
      if (rest.length === 0 || (rest.length === 1 && /^-[px]+$/.test(rest[0] ?? ''))) {
        return { category: 'environment', description: 'the whole environment' };
      }
      return undefined;
    // What was typed at the prompt, passwords and tokens on command lines included, as
    // `~/.bash_history` holds it.
    case 'history':
    case 'fc':
      return program === 'history' || rest.includes('-l') ? { category: 'credential-file', description: 'shell rc or history files' } : undefined;
    // A container's configuration, the environment it was started with (its secrets) included.
    case 'docker':
    case 'podman':
      return rest[0] === 'inspect' || (rest[0] === 'container' && rest[1] === 'inspect') ? { category: 'environment', description: "containers' configuration, their environment included" } : undefined;
    // `ps e`, `ps auxe`, `ps eww`: BSD-style options with `e` print each process's environment.
    case 'ps':
      return rest.some((word) => /^[a-zA-Z]*e[a-zA-Z]*$/.test(word)) ? { category: 'environment', description: "the environment of the user's processes (`ps e`)" } : undefined;
    // Cloud and cluster CLIs that print credentials or tokens.
    case 'aws':
      return (rest[0] === 'configure' && (rest[1] === 'export-credentials' || (rest[1] === 'get' && /secret|token|key/i.test(rest[2] ?? '')))) ||
        (rest[0] === 'sts' && /^get-(?:session-token|federation-token)$|^assume-role$/.test(rest[1] ?? '')) ||
        /^get-(?:login-password|authorization-token)$/.test(rest[1] ?? '') ||
        (rest[0] === 'secretsmanager' && rest[1] === 'get-secret-value') ||
        (rest[0] === 'ssm' && rest[1] === 'get-parameter' && rest.includes('--with-decryption'))
        ? { category: 'credential-file', description: 'cloud credentials printed by the AWS CLI' }
        : undefined;
    case 'terraform':
      // Outputs marked sensitive are printed in full by `-json` and `-raw`.
      return rest[0] === 'output' && rest.some((word) => /^-(?:json|raw)$/.test(word)) ? { category: 'credential-file', description: 'Terraform outputs, sensitive ones included' } : undefined;
    case 'gcloud':
      return rest[0] === 'auth' && rest.some((word) => /^print-(?:access|identity)-token$/.test(word)) ? { category: 'credential-file', description: 'a Google Cloud access token', vendor: 'GOOGLE' } : undefined;
    case 'az':
      return rest[0] === 'account' && rest[1] === 'get-access-token' ? { category: 'credential-file', description: 'an Azure access token', vendor: 'AZURE' } : undefined;
    case 'gh':
      return rest[0] === 'auth' && rest[1] === 'token' ? { category: 'credential-file', description: 'the GitHub CLI token', vendor: 'GH' } : undefined;
    // `git credential fill` prints the stored username and password for the host it is asked about.
    case 'git':
      return rest[0] === 'credential' && rest[1] === 'fill' ? { category: 'credential-file', description: 'credentials printed by `git credential fill`' } : undefined;
    case 'kubectl':
      return (rest[0] === 'config' && rest[1] === 'view' && rest.includes('--raw')) || (rest[0] === 'get' && /^secrets?$/.test(rest[1] ?? ''))
        ? { category: 'credential-file', description: 'Kubernetes credentials or secrets' }
        : undefined;
    case 'vault':
      return /^(?:read|kv)$/.test(rest[0] ?? '') ? { category: 'credential-file', description: 'a secret from Vault' } : undefined;
    // Pipeline schedulers print their stored connections (passwords and extras included) and variables.
    case 'airflow':
      return (rest[0] === 'connections' && /^(?:export|get)$/.test(rest[1] ?? '')) || (rest[0] === 'variables' && /^(?:export|get)$/.test(rest[1] ?? ''))
        ? { category: 'credential-file', description: "Airflow's stored connections and their passwords" }
        : undefined;
    case 'doppler':
      return rest[0] === 'secrets' && /^(?:download|get)?$/.test(rest[1] ?? '') ? { category: 'credential-file', description: 'secrets from Doppler' } : undefined;
    // Password stores printed to stdout: the macOS keychain (`-w`/`-g` print the secret), the
    // freedesktop secret service, `pass`, and the 1Password and Bitwarden CLIs.
    case 'security':
      return /^find-(?:generic|internet)-password$/.test(rest[0] ?? '') && rest.some((word) => /^-\w*[wg]/.test(word))
        ? { category: 'credential-file', description: 'a password from the macOS keychain' }
        : rest[0] === 'dump-keychain' ? { category: 'credential-file', description: 'the macOS keychain' } : undefined;
    case 'secret-tool':
      return rest[0] === 'lookup' || rest[0] === 'search' ? { category: 'credential-file', description: 'a password from the secret service' } : undefined;
    case 'pass': {
      // `pass show x` and `pass x` print an entry; the other subcommands manage the store.
      const shown = rest[0] === 'show' ? rest.slice(1).filter((word) => !word.startsWith('-')) : rest.filter((word) => !word.startsWith('-'));
      const manages = rest[0] !== 'show' && /^(?:init|ls|list|find|search|insert|add|edit|generate|rm|remove|delete|mv|rename|cp|copy|git|grep|version|help)$/.test(rest[0] ?? '');
      return shown.length === 1 && !manages ? { category: 'credential-file', description: 'a password from the pass store' } : undefined;
    }
    case 'op':
    case 'bw':
      if (rest[0] === 'export') return { category: 'credential-file', description: 'the whole password-manager vault' };
      return rest[0] === 'read' || rest[0] === 'get' || (rest[0] === 'item' && rest[1] === 'get') ? { category: 'credential-file', description: 'a password-manager entry' } : undefined;
    case 'lpass':
      return rest[0] === 'export' || rest[0] === 'show' ? { category: 'credential-file', description: 'LastPass entries' } : undefined;
    // Windows keeps each Wi-Fi network's key; `key=clear` prints it.
    case 'netsh':
      return rest[0] === 'wlan' && rest.some((word) => /^key=clear$/i.test(word)) ? { category: 'credential-file', description: 'saved Wi-Fi passwords' } : undefined;
    case 'pbpaste':
    case 'wl-paste':
    case 'Get-Clipboard':
      return { category: 'privacy', description: 'the clipboard' };
    case 'xclip':
      return rest.some((word) => /^-(?:o|out)$/.test(word)) ? { category: 'privacy', description: 'the clipboard' } : undefined;
    case 'xsel':
      return rest.some((word) => /^-(?:[a-z]*[ob][a-z]*|-output|-clipboard)$/.test(word)) ? { category: 'privacy', description: 'the clipboard' } : undefined;
    default:
      return undefined;
  }
}

/** Screen-capture programs; they write an image file named by their last argument. */
export const SCREEN_CAPTURE_PROGRAMS: ReadonlySet<string> = new Set(['screencapture', 'scrot', 'gnome-screenshot', 'grim', 'maim', 'spectacle', 'flameshot']);

/** Folded paths under world-writable, shared locations. */
export function isSharedLocation(folded: string | undefined): boolean {
  if (!folded) return false;
  return /^["']?(?:\/tmp|\/var\/tmp|\/dev\/shm|\/private\/tmp|\/Users\/Shared|\/var\/www|\/srv\/www)(?:\/|$)/.test(folded);
}
