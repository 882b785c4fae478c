import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../server/src/engine/positions';

describe('LineIndex', () => {
  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const text = 'café 😀 x\nnext';
    const index = new LineIndex(text);
    // "café " is 5 units, the emoji is 2, the space 1: x sits at offset 8, column 9.
    assert.deepEqual(index.position(text.indexOf('x')), { line: 1, column: 9 });
    assert.deepEqual(index.position(text.indexOf('next')), { line: 2, column: 1 });
  });

  it('treats \\n, \\r\\n and a lone \\r as line breaks', () => {
    const text = 'a\r\nb\rc\nd';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 4);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((ch) => index.position(text.indexOf(ch)).line), [1, 2, 3, 4]);
    assert.equal(index.lineText(1), 'a');
    assert.equal(index.lineText(2), 'b');
  });

  it('builds spans with exclusive ends and clamps out-of-range offsets', () => {
    const index = new LineIndex('hello\nworld');
    assert.deepEqual(index.span(6, 11), { line: 2, column: 1, endLine: 2, endColumn: 6 });
    assert.deepEqual(index.position(999), { line: 2, column: 6 });
    assert.deepEqual(index.position(-5), { line: 1, column: 1 });
  });

  it('indexes 100,000 lines quickly', () => {
    const text = '\n'.repeat(100_000) + 'payload';
    const started = Date.now();
    const index = new LineIndex(text);
    assert.deepEqual(index.position(text.indexOf('payload')), { line: 100_001, column: 1 });
    assert.ok(Date.now() - started < 500);
  });
});
