// What size prediction compares to take a re-keyed step over: its inputs by content.
import * as assert from 'assert';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { sameData, SizeInputComparer } from '../../../../server/plan/size/sameSizeInputs';
import type { PlannedStep } from '../../../../server/plan/types';

function stepsOf(text: string): PlannedStep[] {
  return planDockerfile(parseDockerfile(text)).stages[0].steps;
}

describe('sameData', () => {
  it('compares nested plain data by value', () => {
    assert.ok(sameData({ a: [1, { b: 'x' }], c: undefined }, { c: undefined, a: [1, { b: 'x' }] }));
    assert.ok(!sameData({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }));
    assert.ok(!sameData([1, 2], [2, 1]));
    assert.ok(!sameData([1], { 0: 1 }));
    assert.ok(!sameData(null, {}));
  });

  it('tells a missing key from one set to undefined', () => {
    assert.ok(!sameData({ a: undefined }, { b: undefined }));
    assert.ok(!sameData({ a: undefined }, {}));
    assert.ok(!sameData({}, { a: undefined }));
  });
});

describe('SizeInputComparer', () => {
  it('takes a RUN re-keyed by an edit above as the same when its script and variables are', () => {
    const before = stepsOf('FROM alpine\nENV A=1\nRUN true\nRUN echo $A > /a\n');
    const after = stepsOf('FROM alpine\nENV A=1\nRUN true # again\nRUN echo $A > /a\n');
    assert.notStrictEqual(after[3].cacheKey, before[3].cacheKey);
    assert.ok(new SizeInputComparer().sameStep(before[3], after[3]));
  });

  it('tells a RUN apart when a variable it may read changed, and a COPY only by its own inputs', () => {
    const before = stepsOf('FROM alpine\nENV A=1\nRUN echo hi > /a\nCOPY a /b\n');
    const after = stepsOf('FROM alpine\nENV A=2\nRUN echo hi > /a\nCOPY a /b\n');
    const comparer = new SizeInputComparer();
    assert.ok(!comparer.sameStep(before[2], after[2]), 'the RUN sees another environment');
    assert.ok(comparer.sameStep(before[3], after[3]), 'a COPY does not read the environment');
    assert.ok(!comparer.sameStep(before[3], stepsOf('FROM alpine\nENV A=1\nRUN echo hi > /a\nCOPY a /c\n')[3]));
    assert.ok(!comparer.sameStep(before[2], stepsOf('FROM alpine\nENV A=1\nARG B\nRUN echo hi > /a\n')[3]), 'another step index');
  });

  it('tells a declared ARG without a value from an undeclared one', () => {
    const declared = stepsOf('FROM alpine\nARG B\nRUN echo $B > /a\n');
    const undeclared = stepsOf('FROM alpine\nLABEL b=1\nRUN echo $B > /a\n');
    assert.ok(!new SizeInputComparer().sameStep(declared[2], undeclared[2]));
  });
});
