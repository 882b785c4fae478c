import { strict as assert } from 'node:assert';
import { deceptiveDeclaration, declaredDeceptiveEncoding, decodeSource } from '../../../server/src/engine/source-encoding';

describe('source-encoding', () => {
  it('finds a deceptive declaration on the first line, or on the second after a comment or blank line', () => {
    assert.equal(declaredDeceptiveEncoding('# -*- coding: utf-7 -*-\nx'), 'utf-7');
    assert.equal(declaredDeceptiveEncoding('#!/usr/bin/env python3\n# vim: set fileencoding=UTF_7 :\n'), 'utf-7');
    assert.equal(declaredDeceptiveEncoding('\n# coding=unicode_escape\n'), 'unicode-escape');
    assert.equal(declaredDeceptiveEncoding('# coding: Raw-Unicode-Escape\n'), 'raw-unicode-escape');
    // Python reads no declaration after a line of code, nor below the second line, nor a harmless one.
    assert.equal(declaredDeceptiveEncoding('import os\n# coding: utf-7\n'), undefined);
    assert.equal(declaredDeceptiveEncoding('#\n#\n# coding: utf-7\n'), undefined);
    assert.equal(declaredDeceptiveEncoding('# coding: utf-8\n'), undefined);
  });

  it('says where the declaration is, on either line', () => {
    const shebang = '#!/usr/bin/env python3\r\n# vim: set fileencoding=UTF_7 :\n';
    const found = deceptiveDeclaration(shebang);
    assert.equal(found && shebang.slice(found.start, found.end), 'coding=UTF_7');
    assert.deepEqual(deceptiveDeclaration('# -*- coding: utf-7 -*-\n'), { encoding: 'utf-7', start: 6, end: 19 });
  });

  it('decodes UTF-7 as RFC 2152 reads it: base64 runs of UTF-16, a dropped closing dash, +- for a plus', () => {
    assert.equal(decodeSource('+AGkAbQBwAG8AcgB0ACAAbwBz-\n', 'utf-7'), 'import os\n');
    assert.equal(decodeSource('a +- b +AGk.c', 'utf-7'), 'a + b i.c');
    assert.equal(decodeSource('+2D3eAA-', 'utf-7'), '\u{1F600}');
    assert.equal(decodeSource('no plus at all', 'utf-7'), 'no plus at all');
  });

  it('decodes unicode_escape and raw_unicode_escape as Python does', () => {
    assert.equal(decodeSource(String.raw`\x69mport os\nprint(\u0027\101\')`, 'unicode-escape'), "import os\nprint('A')");
    assert.equal(decodeSource('\\u0069mport \\x6f\\U0001F600', 'raw-unicode-escape'), 'import \\x6f\u{1F600}');
  });
});
