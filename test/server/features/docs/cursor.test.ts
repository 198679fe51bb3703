import * as assert from 'assert';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import type { LayerPlan, PlannedStage, PlannedStep } from '../../../../server/plan/types';
import { stepOfInstruction } from '../../../../server/features/docs/cursor';

const text = [
  '# syntax=docker/dockerfile:1', 'ARG BASE=debian:12',
  'FROM ${BASE} AS a', 'RUN echo a', '# comment', 'ENV X=1', 'RUN echo b',
  'FROM a AS b', 'COPY x /x', 'ONBUILD RUN echo later', 'RUN echo c',
  'FROM scratch', 'COPY --from=b /x /x', '',
].join('\n');

/** Every instruction's step as a map over all steps finds it (the last step of an index wins). */
function byMap(plan: LayerPlan): Map<number, { stage: PlannedStage; step: PlannedStep }> {
  const map = new Map<number, { stage: PlannedStage; step: PlannedStep }>();
  for (const stage of plan.stages) for (const step of stage.steps) map.set(step.instructionIndex, { stage, step });
  return map;
}

describe('cursor: the step of an instruction', () => {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax);

  it('is the step built from it for every instruction, and none for instructions without a step', () => {
    const expected = byMap(plan);
    let found = 0;
    for (let i = -1; i <= syntax.instructions.length; i++) {
      const got = stepOfInstruction(plan, i);
      assert.deepStrictEqual(got, expected.get(i), `instruction ${i}`);
      if (got) found++;
    }
    assert.ok(found >= 9, `${found} steps found`);
    assert.strictEqual(syntax.instructions[0].name, 'ARG');
    assert.strictEqual(stepOfInstruction(plan, 0), undefined, 'the global ARG has no step');
  });

  it('is found on a plan whose steps do not follow the instructions too', () => {
    const reordered: LayerPlan = { ...plan, stages: [plan.stages[1], plan.stages[0], plan.stages[2]] };
    const expected = byMap(reordered);
    for (let i = 0; i < syntax.instructions.length; i++) assert.deepStrictEqual(stepOfInstruction(reordered, i), expected.get(i), `instruction ${i}`);
  });
});
