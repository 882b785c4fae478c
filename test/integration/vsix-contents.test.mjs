// Checks the packaged VSIX against the allow-list in .vscodeignore: the bundles, the wasm files and
// the compiled rules ship; sources, tests, fixtures, rule folders and node_modules never do.
// Reads the zip's central directory itself, so it needs no unzip tool and no extra dependency.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'mocha';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsixPath = process.env.SKILL_SENTINEL_VSIX ?? join(root, 'skill-sentinel.vsix');

function zipEntries(buffer) {
  // End of central directory record: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 65_557); i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.notEqual(eocd, -1, 'not a zip file: no end of central directory');
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buffer.readUInt32LE(offset), 0x02014b50, 'corrupt central directory');
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('packaged VSIX', function () {
  let files = [];

  before(function () {
    assert.ok(existsSync(vsixPath), `${vsixPath} is missing: run npm run package first`);
    files = zipEntries(readFileSync(vsixPath))
      .filter((name) => name.startsWith('extension/'))
      .map((name) => name.slice('extension/'.length));
  });

  it('holds the client, server, CLI and scan-worker bundles', function () {
    for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/scan-worker.js']) assert.ok(files.includes(bundle), `${bundle} missing`);
  });

  it('holds the tree-sitter runtime and every grammar wasm', function () {
    for (const wasm of ['tree-sitter', 'tree-sitter-bash', 'tree-sitter-python', 'tree-sitter-javascript', 'tree-sitter-typescript']) {
      assert.ok(files.includes(`dist/${wasm}.wasm`), `dist/${wasm}.wasm missing`);
    }
  });

  it('holds the compiled rules', function () {
    assert.ok(files.includes('dist/rules.json'));
    const compiled = JSON.parse(readFileSync(join(root, 'dist', 'rules.json'), 'utf8'));
    assert.ok(compiled.rules.length > 0);
  });

  it('holds the manifest, docs and activity-bar icon', function () {
    // vsce renames the docs (readme.md, changelog.md, LICENSE.txt), so match loosely.
    for (const pattern of [/^package\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^license(\.txt)?$/i, /^media\/skill-sentinel\.svg$/]) {
      assert.ok(files.some((file) => pattern.test(file)), `${pattern} missing`);
    }
  });

  it('ships no sources, tests, fixtures, rule folders, source maps or node_modules', function () {
    const forbidden = files.filter(
      (file) =>
        /\.(ts|map|mts|cts)$/.test(file) ||
        /^(server|client|test|rules|scripts|out|node_modules)\//.test(file) ||
        /(^|\/)(fixtures|tests?\.ya?ml)(\/|$)/.test(file) ||
        /(^|\/)\.vscode\//.test(file),
    );
    assert.deepEqual(forbidden, []);
  });

  it('points main at the client bundle and declares limited untrusted-workspace support', function () {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(manifest.main, './dist/client.js');
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});
