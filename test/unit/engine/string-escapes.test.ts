import { strict as assert } from 'node:assert';
import { unescapeJavaScript, unescapePython } from '../../../server/src/engine/dataflow/string-escapes';

describe('string escapes', () => {
  it("gives a Python string's content as the string holds it", () => {
    assert.equal(unescapePython('os.system(\\"curl\\")\\n', ''), 'os.system("curl")\n');
    assert.equal(unescapePython('\\x63url \\u0073h \\U00000041 \\101 \\\\ \\\'', ''), "curl sh A A \\ '");
    assert.equal(unescapePython('a\\\nb', ''), 'ab', 'a backslash before a line break joins the lines');
    assert.equal(unescapePython('\\d+\\.\\w', ''), '\\d+\\.\\w', 'unknown escapes stay as written');
  });

  it('keeps the backslashes of a raw string, and a bytes literal has no \\u escapes', () => {
    assert.equal(unescapePython('\\x63url\\n', 'r'), '\\x63url\\n');
    assert.equal(unescapePython('\\x63url\\n', 'Rb'), '\\x63url\\n');
    assert.equal(unescapePython('\\x41\\u0041', 'b'), 'A\\u0041');
    assert.equal(unescapePython('\\x41', 'f'), 'A');
  });

  it("gives a JavaScript string's content as the string holds it", () => {
    assert.equal(unescapeJavaScript('\\x63hild\\u005fprocess'), 'child_process');
    assert.equal(unescapeJavaScript('\\u{63}url \\"x\\" \\\'y\\\' \\\\ \\n\\t'), 'curl "x" \'y\' \\ \n\t');
    assert.equal(unescapeJavaScript('a\\\nb \\q'), 'ab q', 'a line continuation leaves nothing; an unknown escape leaves its letter');
    assert.equal(unescapeJavaScript('\\u{110000}'), '\\u{110000}', 'a code point past Unicode stays as written');
  });
});
