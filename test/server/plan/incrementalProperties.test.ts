// Property: re-planning each version of an editing session from the last plan made (the language
// server plans only the versions a feature reads, so that plan may be several versions old) gives
// exactly the plan of planning from scratch; with the session's build args, target, build context and
// local images alike (and other options from some version on, as after a change of settings).
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile, type LayerPlan, type PlanOptions } from '../../../server/plan';
import { describeVersions, editSessionArb, planInputsArb, versionsOf, writeDockerfile } from '../incrementalEdits';

const json = (p: LayerPlan) => JSON.parse(JSON.stringify(p)) as unknown;
/** The plan without any `range` (what it says, not where). */
const withoutRanges = (p: LayerPlan) => JSON.parse(JSON.stringify(p, (key, value: unknown) => (key === 'range' ? undefined : value))) as unknown;

const planOptionsArb: fc.Arbitrary<PlanOptions> = fc.record({
  buildArgs: fc.option(fc.dictionary(fc.constantFrom('R', 'V', 'BASE', 'HOME', 'UNUSED'), fc.constantFrom('1', '3', 'alpine:3.19', '')), { nil: undefined }),
  target: fc.option(fc.constantFrom('build', 'base', '0', '1', 'nope'), { nil: undefined }),
  inputs: planInputsArb,
}, { requiredKeys: [] }).map(({ inputs, ...options }) => ({ ...options, ...inputs }));

/** Plans every version of random sessions as the server does and compares each plan made with a plan from scratch. */
function planSessions(same: (incremental: LayerPlan, fresh: LayerPlan, message: string) => void, numRuns: number): void {
  const switchArb = fc.option(fc.record({ at: fc.nat(), options: planOptionsArb }), { nil: undefined });
  fc.assert(fc.property(editSessionArb, planOptionsArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), switchArb, ({ spec, edits }, first, skips, switched) => {
    const versions = versionsOf(writeDockerfile(spec), edits);
    let syntax: DockerfileSyntax = parseDockerfile(versions[0]);
    let options = first;
    let plan = planDockerfile(syntax, options);
    for (let i = 1; i < versions.length; i++) {
      syntax = parseDockerfile(versions[i], { previous: { text: versions[i - 1], syntax } });
      // Options may change (settings): the planner must not take over what the previous plan made with others.
      if (switched && i === 1 + (switched.at % versions.length)) options = switched.options;
      // Some versions are never planned (no feature read them before the next keystroke).
      if (i < versions.length - 1 && skips[i % skips.length]) continue;
      const again = planDockerfile(syntax, { ...options, previous: plan });
      same(again, planDockerfile(parseDockerfile(versions[i]), options), `version ${i}:\n  ${describeVersions(versions, i)}`);
      plan = again;
    }
  }), { numRuns });
}

function replan(before: string, after: string): { incremental: LayerPlan; fresh: LayerPlan } {
  const syntax = parseDockerfile(before);
  const incremental = planDockerfile(parseDockerfile(after, { previous: { text: before, syntax } }), { previous: planDockerfile(syntax) });
  return { incremental, fresh: planDockerfile(parseDockerfile(after)) };
}

describe('incremental re-planning over editing sessions', () => {
  it('gives what planning from scratch gives (keys, args, env, stages, problems; ranges aside) after every version planned', function () {
    this.timeout(60000);
    planSessions((incremental, fresh, message) => assert.deepStrictEqual(withoutRanges(incremental), withoutRanges(fresh), message), 200);
  });

  it('gives a stage built FROM another the config of the new base after a LABEL, EXPOSE, CMD ... of the base changed (fast-check found it)', () => {
    const base = 'FROM alpine AS base\nLABEL Y=1\nEXPOSE 80\nCMD a\nFROM base AS mid\nFROM mid\nRUN x\n';
    const edits = [['LABEL Y=1', 'LABEL X=1'], ['EXPOSE 80', 'EXPOSE 81'], ['CMD a', 'ENTRYPOINT b'], ['CMD a', 'STOPSIGNAL 2'], ['CMD a', 'HEALTHCHECK CMD b'], ['CMD a', 'VOLUME /v'], ['CMD a', 'MAINTAINER m']];
    for (const [from, to] of edits) {
      const { incremental, fresh } = replan(base, base.replace(from, to));
      assert.deepStrictEqual(json(incremental), json(fresh), `${from} -> ${to}`);
    }
    const { incremental } = replan(base, base.replace('LABEL Y=1', 'LABEL X=1'));
    assert.deepStrictEqual(incremental.stages[2].config.labels, { X: '1' });
  });

  // A step is reused when its instruction's text and layout are the same (signatureOf): relocate
  // moves its positions as a whole, which a line split, joined or added inside the instruction breaks.
  it('gives the same ranges as planning from scratch after every version planned', function () {
    this.timeout(60000);
    planSessions((incremental, fresh, message) => assert.deepStrictEqual(json(incremental), json(fresh), message), 200);
  });

  it('puts a variable after a line split inside an instruction where a fresh plan puts it', () => {
    const { incremental, fresh } = replan('FROM alpine\nARG R\nRUN a && echo ${R}\n', 'FROM alpine\nARG R\nRUN a && \\\necho ${R}\n');
    assert.deepStrictEqual(json(incremental), json(fresh));
    assert.deepStrictEqual(incremental.stages[0].steps[2].variables[0].range, { start: { line: 3, character: 5 }, end: { line: 3, character: 9 } });
  });

  it('puts a plan problem after a comment line removed inside a continuation where a fresh plan puts it', () => {
    const { incremental, fresh } = replan('FROM alpine:3\nCOPY \\\n  # c\n  --from=$X a /b\n', 'FROM alpine:3\nCOPY \\\n  --from=$X a /b\n');
    assert.deepStrictEqual(json(incremental), json(fresh));
  });
});
