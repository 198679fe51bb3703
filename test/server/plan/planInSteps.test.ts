import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile, planDockerfileInSteps } from '../../../server/plan';

/** A plan as JSON: every field, cache keys included (steps read theirs through getters). */
const json = (plan: unknown) => JSON.parse(JSON.stringify(plan)) as unknown;

const text = generatedDockerfile(3000);

function drain<T>(steps: Generator<void, T, void>): { result: T; pauses: number } {
  for (let pauses = 0; ; pauses++) {
    const next = steps.next();
    if (next.done) return { result: next.value, pauses };
  }
}

describe('planDockerfileInSteps', () => {
  it('pauses after the stage graph, every stage and every few dozen steps, and gives the plan planDockerfile gives', () => {
    const syntax = parseDockerfile(text);
    const { result, pauses } = drain(planDockerfileInSteps(syntax));
    const steps = result.stages.reduce((n, s) => n + s.steps.length, 0);
    assert.ok(result.stages.length > 2, `${result.stages.length} stages`);
    assert.ok(pauses > result.stages.length + 1 + steps / 128, `${pauses} pauses for ${result.stages.length} stages of ${steps} steps`);
    assert.deepStrictEqual(json(result), json(planDockerfile(syntax)));
  });

  it('re-plans an edit from a previous plan with the same result as planning at once', () => {
    const syntax = parseDockerfile(text);
    const previous = planDockerfile(syntax);
    const lines = text.split('\n');
    const middle = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('RUN '));
    lines[middle] += ' && true';
    const edited = lines.join('\n');
    const editedSyntax = parseDockerfile(edited, { previous: { text, syntax } });
    const inSteps = drain(planDockerfileInSteps(editedSyntax, { previous })).result;
    assert.deepStrictEqual(json(inSteps), json(planDockerfile(editedSyntax, { previous })));
    assert.deepStrictEqual(json(inSteps), json(planDockerfile(parseDockerfile(edited))), 'equal to a fresh plan');
  });
});
