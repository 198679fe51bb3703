// Finding the stage and step at a document position.
import * as assert from 'assert';
import { findStepAt } from '../../../server/plan';
import { plan } from './helpers';

describe('findStepAt', () => {
  const p = plan('ARG X=1\nFROM a AS one\nRUN echo \\\n  hi\n\n# comment\nFROM b\nCOPY x /y\n');

  it('finds the step under the cursor, on continuation lines too', () => {
    assert.strictEqual(findStepAt(p, { line: 2, character: 5 })?.step?.instruction, 'RUN');
    assert.strictEqual(findStepAt(p, { line: 3, character: 3 })?.step?.instruction, 'RUN');
    assert.strictEqual(findStepAt(p, { line: 7, character: 0 })?.step?.instruction, 'COPY');
    assert.strictEqual(findStepAt(p, { line: 1, character: 3 })?.step?.instruction, 'FROM');
  });

  it('gives the stage without a step between instructions, and nothing outside stages', () => {
    const between = findStepAt(p, { line: 4, character: 0 });
    assert.strictEqual(between, undefined, 'a blank line after the last instruction is outside the stage range');
    assert.strictEqual(findStepAt(p, { line: 0, character: 2 }), undefined);
    assert.strictEqual(findStepAt(p, { line: 99, character: 0 }), undefined);
    const inside = findStepAt(plan('FROM a\n# c\nRUN x\n'), { line: 1, character: 1 });
    assert.strictEqual(inside?.stage.index, 0);
    assert.strictEqual(inside?.step, undefined);
  });
});
