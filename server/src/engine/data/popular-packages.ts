/**
 * Names attackers imitate: widely installed packages (PyPI and npm, normalised: lower case,
 * `_`/`.` → `-`), the import names they are used by, npm scopes, and the names of widely shared
 * agent skills. Real packages that sit one edit away from another entry (boto/boto3, scapy/scipy,
 * color/colors) are listed too, so neither side is mistaken for a typo of the other.
 */
export const POPULAR_PACKAGES: readonly string[] = [
  // Python
  'requests', 'urllib3', 'certifi', 'charset-normalizer', 'idna', 'httpx', 'httpcore', 'aiohttp', 'websockets',
  'numpy', 'pandas', 'scipy', 'scapy', 'matplotlib', 'seaborn', 'plotly', 'bokeh', 'altair', 'scikit-learn', 'sklearn',
  'scikit-image', 'statsmodels', 'sympy', 'networkx', 'xarray', 'polars', 'pyarrow', 'dask', 'numba', 'cython',
  'tensorflow', 'keras', 'torch', 'torchvision', 'torchaudio', 'transformers', 'tokenizers', 'datasets', 'accelerate',
  'diffusers', 'sentence-transformers', 'huggingface-hub', 'safetensors', 'onnx', 'onnxruntime', 'xgboost', 'lightgbm',
  'catboost', 'openai', 'anthropic', 'langchain', 'langchain-core', 'langchain-community', 'langchain-openai',
  'llama-index', 'tiktoken', 'google-generativeai', 'google-genai', 'cohere', 'mistralai', 'groq', 'litellm',
  'pydantic', 'pydantic-core', 'fastapi', 'starlette', 'uvicorn', 'gunicorn', 'flask', 'django', 'werkzeug', 'jinja2',
  'markupsafe', 'click', 'typer', 'rich', 'tqdm', 'colorama', 'termcolor', 'pyyaml', 'yaml', 'toml', 'tomli', 'tomlkit',
  'python-dotenv', 'dotenv', 'boto', 'boto3', 'botocore', 's3transfer', 'awscli', 'google-cloud-storage',
  'google-api-python-client', 'google-auth', 'azure-identity', 'azure-storage-blob', 'cryptography', 'pycryptodome',
  'pyopenssl', 'paramiko', 'bcrypt', 'pyjwt', 'jwt', 'oauthlib', 'requests-oauthlib', 'six', 'setuptools', 'wheel',
  'pip', 'virtualenv', 'poetry', 'pipenv', 'pytest', 'pytest-cov', 'coverage', 'tox', 'nox', 'black', 'ruff', 'flake8',
  'pylint', 'mypy', 'isort', 'pre-commit', 'yamllint', 'autopep8', 'yapf', 'pyflakes', 'pycodestyle', 'pydocstyle',
  'bandit', 'twine', 'sphinx', 'mkdocs', 'mkdocs-material', 'attrs', 'dataclasses-json', 'marshmallow', 'jsonschema', 'orjson', 'ujson',
  'simplejson', 'lxml', 'beautifulsoup4', 'bs4', 'html5lib', 'selenium', 'playwright', 'scrapy', 'pillow', 'pil',
  'opencv-python', 'cv2', 'imageio', 'pypdf', 'pypdf2', 'pdfplumber', 'pdfminer-six', 'pymupdf', 'fitz', 'reportlab',
  'python-docx', 'docx', 'python-pptx', 'pptx', 'openpyxl', 'xlsxwriter', 'xlrd', 'markdown', 'mistune', 'pygments',
  'sqlalchemy', 'alembic', 'psycopg2', 'psycopg2-binary', 'psycopg', 'pymysql', 'mysqlclient', 'pymongo', 'redis',
  'celery', 'kombu', 'elasticsearch', 'docker', 'kubernetes', 'ansible', 'fabric', 'invoke', 'psutil', 'watchdog',
  'schedule', 'apscheduler', 'arrow', 'pendulum', 'python-dateutil', 'dateutil', 'pytz', 'tzdata', 'babel', 'regex',
  'chardet', 'tabulate', 'prettytable', 'openpyxl', 'biopython', 'bio', 'rdkit', 'pymatgen', 'ase', 'scanpy', 'anndata',
  'nltk', 'spacy', 'gensim', 'textblob', 'jupyter', 'jupyterlab', 'notebook', 'ipython', 'ipykernel', 'ipywidgets',
  'streamlit', 'gradio', 'dash', 'pygame', 'pyautogui', 'pyperclip', 'keyring', 'gitpython', 'git', 'pygithub', 'github',
  'slack-sdk', 'discord', 'discord-py', 'tweepy', 'stripe', 'twilio', 'sendgrid', 'mcp', 'fastmcp', 'protobuf', 'grpcio',
  // npm
  'react', 'react-dom', 'next', 'vue', 'nuxt', 'svelte', 'angular', 'express', 'koa', 'fastify', 'lodash', 'underscore',
  'axios', 'node-fetch', 'got', 'request', 'superagent', 'chalk', 'commander', 'yargs', 'inquirer', 'ora', 'debug',
  'dotenv-expand', 'cross-env', 'typescript', 'ts-node', 'tsx', 'esbuild', 'webpack', 'vite', 'rollup', 'parcel',
  'babel', 'eslint', 'prettier', 'jest', 'mocha', 'chai', 'vitest', 'cypress', 'puppeteer', 'moment', 'dayjs',
  'date-fns', 'uuid', 'nanoid', 'classnames', 'clsx', 'tailwindcss', 'postcss', 'autoprefixer', 'sass', 'less',
  'socket-io', 'ws', 'mongoose', 'sequelize', 'prisma', 'typeorm', 'knex', 'pg', 'mysql', 'mysql2', 'sqlite3',
  'body-parser', 'cors', 'helmet', 'jsonwebtoken', 'bcryptjs', 'passport', 'multer', 'nodemon', 'pm2', 'rimraf',
  'glob', 'minimatch', 'fs-extra', 'semver', 'color', 'colors', 'async', 'bluebird', 'rxjs', 'redux', 'zustand',
  'zod', 'yup', 'joi', 'ajv', 'marked', 'markdown-it', 'highlight-js', 'cheerio', 'jsdom', 'sharp', 'jimp',
  'node-cron', 'cron', 'ethers', 'web3', 'openai-node', 'shelljs', 'execa', 'cross-spawn', 'tslib', 'core-js',
  'electron', 'vscode', 'pdf-lib', 'pdfkit', 'docx-js', 'exceljs', 'xlsx', 'pptxgenjs', 'mammoth', 'turndown',
];

/** Scopes of widely used npm packages (without the `@`). */
export const POPULAR_SCOPES: readonly string[] = [
  'anthropic-ai', 'openai', 'modelcontextprotocol', 'types', 'babel', 'vue', 'angular', 'aws-sdk', 'google-cloud',
  'azure', 'microsoft', 'vercel', 'nestjs', 'prisma', 'tanstack', 'reduxjs', 'testing-library', 'playwright',
  'typescript-eslint', 'eslint', 'sveltejs', 'nuxt', 'next', 'radix-ui', 'mui', 'emotion', 'langchain', 'octokit',
  'supabase', 'firebase', 'sentry', 'stripe', 'slack', 'huggingface', 'google', 'github', 'cloudflare', 'docker',
];

/** Names of widely shared agent skills. */
export const POPULAR_SKILLS: readonly string[] = [
  'webapp-testing', 'skill-creator', 'mcp-builder', 'frontend-design', 'canvas-design', 'algorithmic-art',
  'brand-guidelines', 'internal-comms', 'slack-gif-creator', 'theme-factory', 'artifacts-builder', 'doc-coauthoring',
  'web-artifacts-builder', 'template-skill', 'brainstorming', 'systematic-debugging', 'test-driven-development',
  'writing-plans', 'executing-plans', 'using-git-worktrees', 'requesting-code-review', 'receiving-code-review',
];

/**
 * Words that tools and skills are named with (`json-parser`, `config-validator`). A name word one
 * typing slip from one of these (`json-parsre`) imitates the name a user would search for.
 */
export const COMMON_NAME_WORDS: readonly string[] = [
  'access', 'account', 'accounting', 'accounts', 'adapter', 'adapters', 'admin', 'alert', 'alerts', 'analyser',
  'analysis', 'analytics', 'analyze', 'analyzer', 'android', 'archive', 'archiver', 'assistant', 'audio', 'audit',
  'auditor', 'automate', 'automation', 'backend', 'backup', 'benchmark', 'benchmarks', 'billing', 'biology',
  'bootstrap', 'branch', 'browser', 'bucket', 'budget', 'builder', 'builders', 'bundler', 'calendar', 'certificate',
  'certificates', 'changelog', 'check', 'checker', 'checkers', 'checks', 'chemistry', 'cleaner', 'cleanup', 'client',
  'cluster', 'command', 'commands', 'commit', 'compiler', 'compliance', 'component', 'components', 'compress',
  'config', 'configs', 'configuration', 'connector', 'connectors', 'console', 'container', 'containers', 'converter',
  'cookie', 'cookies', 'coverage', 'crawler', 'creator', 'credential', 'credentials', 'crypto', 'customer',
  'customers', 'dashboard', 'database', 'debug', 'debugger', 'decode', 'decoder', 'dependencies', 'dependency',
  'deploy', 'deployer', 'deployment', 'design', 'desktop', 'diagnostic', 'diagnostics', 'diary', 'docker',
  'document', 'documentation', 'documents', 'download', 'downloader', 'editor', 'encode', 'encoder', 'encryption',
  'endpoint', 'environment', 'excel', 'executor', 'expense', 'expenses', 'explorer', 'exporter', 'extension',
  'extensions', 'extract', 'extractor', 'fetcher', 'finance', 'financial', 'firewall', 'format', 'formatter',
  'formatters', 'framework', 'frontend', 'fullstack', 'gateway', 'generator', 'generators', 'github', 'gitlab',
  'grammar', 'graphql', 'hashing', 'health', 'helper', 'helpers', 'image', 'images', 'importer', 'incident',
  'incidents', 'indexer', 'inspector', 'install', 'installer', 'integration', 'integrations', 'invoice', 'invoices',
  'iphone', 'issue', 'issues', 'javascript', 'journal', 'kubernetes', 'layout', 'library', 'license', 'linter',
  'linters', 'loader', 'logger', 'logging', 'manager', 'managers', 'markdown', 'memory', 'metrics', 'migration',
  'migrations', 'mobile', 'monitor', 'monitoring', 'network', 'notebook', 'notes', 'notifications', 'notifier',
  'optimize', 'optimizer', 'options', 'orchestrator', 'outline', 'package', 'packages', 'parser', 'parsers',
  'password', 'passwords', 'payment', 'payments', 'performance', 'permission', 'permissions', 'physics', 'pipeline',
  'pipelines', 'planner', 'planning', 'playbook', 'playwright', 'plugin', 'plugins', 'policies', 'policy',
  'powerpoint', 'preferences', 'presentation', 'preview', 'process', 'processor', 'profile', 'profiler', 'profiles',
  'project', 'projects', 'proxy', 'puppeteer', 'python', 'queue', 'reader', 'readme', 'refactor', 'refactoring',
  'release', 'renderer', 'report', 'reporter', 'reports', 'request', 'requests', 'research', 'response', 'review',
  'reviewer', 'router', 'runbook', 'runner', 'runners', 'scaffold', 'scanner', 'scanners', 'schedule', 'scheduler',
  'schema', 'science', 'scientific', 'scraper', 'screenshot', 'script', 'scripts', 'search', 'secret', 'secrets',
  'security', 'selenium', 'server', 'service', 'services', 'session', 'sessions', 'settings', 'setup', 'shell',
  'signer', 'signing', 'slides', 'snippets', 'spelling', 'spreadsheet', 'starter', 'statistics', 'status', 'storage',
  'style', 'styles', 'summarize', 'summarizer', 'summary', 'support', 'system', 'systems', 'tasks', 'template',
  'templates', 'terminal', 'terraform', 'tester', 'testing', 'tests', 'theme', 'themes', 'ticket', 'tickets',
  'timer', 'token', 'tokens', 'toolkit', 'tracker', 'transcribe', 'transcription', 'transform', 'translate',
  'translator', 'typescript', 'updater', 'upgrade', 'upload', 'uploader', 'users', 'utilities', 'utility',
  'validate', 'validator', 'validators', 'verifier', 'verify', 'version', 'video', 'viewer', 'vulnerability',
  'webhook', 'worker', 'workers', 'workflow', 'workflows', 'wrapper', 'wrappers', 'writer', 'writing',
];

/**
 * English words one typing slip from a common name word (`stats`/`status`, `tracer`/`tracker`):
 * they are words in their own right, not slips.
 */
export const REAL_WORD_NEIGHBOURS: readonly string[] = [
  'automaton', 'backed', 'bowser', 'clint', 'complier', 'deign', 'fronted', 'heath', 'liner', 'liners', 'liter',
  'liters', 'manages', 'parer', 'parses', 'planer', 'planing', 'potions', 'reactor', 'repot', 'scrapper', 'sever',
  'singer', 'singing', 'stats', 'tacker', 'tracer', 'wrier',
];
