import { strict as assert } from 'node:assert';
import { parseGitConfig } from '../../../server/src/engine/git-config';

/** name=value pairs, for short assertions. */
function pairs(text: string): string[] {
  return parseGitConfig(text).map((entry) => `${entry.name}=${entry.value}`);
}

describe('git-config', () => {
  it('reads sections, subsections and keys as git names them', () => {
    assert.deepEqual(pairs('[Core]\n\tFSMonitor = x\n[remote "Origin"]\n\turl = https://h/r.git\n[branch.Main]\n\tremote = origin\n'), [
      'core.fsmonitor=x',
      'remote.Origin.url=https://h/r.git',
      'branch.main.remote=origin',
    ]);
  });

  it('resolves quotes, escapes, comments and continuation lines as git does', () => {
    assert.deepEqual(pairs('[a]\n\tk1 = "x ; y" # comment\n\tk2 = one  two ; comment\n\tk3 = "tab\\there \\"q\\""\n\tk4 = first \\\n  second\n\tbare\n'), [
      'a.k1=x ; y',
      'a.k2=one  two',
      'a.k3=tab\there "q"',
      'a.k4=first   second',
      'a.bare=true',
    ]);
  });

  it('takes a key on the header line, CRLF line ends, and points at the key', () => {
    const text = '[core] editor = vim\r\n[alias]\r\n  st = !sh x.sh\r\n';
    const entries = parseGitConfig(text);
    assert.deepEqual(entries.map((entry) => `${entry.name}=${entry.value}`), ['core.editor=vim', 'alias.st=!sh x.sh']);
    assert.equal(text.slice(entries[1]?.start, entries[1]?.end), 'st');
  });

  it('ignores keys outside a section and lines that are not keys, and bounds what it reads', () => {
    assert.deepEqual(pairs('orphan = 1\n# note\n; note\n[s]\n\t= broken\n\tk = v\n'), ['s.k=v']);
    assert.equal(parseGitConfig(`[s]\n${'k = v\n'.repeat(20_000)}`).length, 5_000);
  });
});
