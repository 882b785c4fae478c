import { strict as assert } from 'node:assert';
import { scoreFindings } from '../../../server/src/engine/scoring';
import type { Finding, Severity } from '../../../server/src/engine/types';

function finding(ruleId: string, severity: Severity): Finding {
  return { ruleId, slug: ruleId.toLowerCase(), category: 'test', severity, message: 'm.', file: 'SKILL.md', span: { line: 1, column: 1, endLine: 1, endColumn: 2 } };
}

describe('scoreFindings', () => {
  it('is 0 and clean with no findings', () => {
    assert.deepEqual(scoreFindings([]), { score: 0, verdict: 'clean' });
  });

  it('never lets many low findings reach a single high finding', () => {
    const lows = Array.from({ length: 500 }, (_, i) => finding(`SKL${100 + (i % 50)}`, 'low'));
    const many = scoreFindings(lows);
    const one = scoreFindings([finding('SKL401', 'high')]);
    assert.equal(many.verdict, 'notice');
    assert.ok(many.score < one.score, `${many.score} !< ${one.score}`);
    assert.ok(many.score <= 24);
  });

  it('grows with distinct rules but not with repeats of one rule, without saturating', () => {
    const one = scoreFindings([finding('SKL501', 'critical')]).score;
    const repeats = scoreFindings(Array.from({ length: 50 }, () => finding('SKL501', 'critical'))).score;
    const distinct = scoreFindings(['SKL501', 'SKL502', 'SKL503', 'SKL504'].map((id) => finding(id, 'critical'))).score;
    const huge = scoreFindings(Array.from({ length: 1000 }, (_, i) => finding(`SKL${i}`, 'critical'))).score;
    assert.equal(one, 80);
    assert.ok(repeats > one && repeats < distinct, `${one} < ${repeats} < ${distinct}`);
    assert.ok(huge <= 100 && huge > distinct);
  });

  it('maps the top severity to the verdict', () => {
    assert.equal(scoreFindings([finding('A', 'info')]).verdict, 'clean');
    assert.equal(scoreFindings([finding('A', 'medium'), finding('B', 'low')]).verdict, 'suspicious');
    assert.equal(scoreFindings([finding('A', 'high')]).verdict, 'dangerous');
    assert.equal(scoreFindings([finding('A', 'critical')]).verdict, 'malicious');
  });
});
