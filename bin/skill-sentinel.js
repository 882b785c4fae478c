#!/usr/bin/env node
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bin shim is CommonJS by design
require('../dist/cli.js');
