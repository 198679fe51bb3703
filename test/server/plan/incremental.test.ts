// Re-planning with the previous plan: the same result as planning from scratch, and unchanged
// steps reused as they are.
import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import * as fc from 'fast-check';
import { mutate, realisticDockerfile } from '../parser/dockerfileGenerator';

const text = `ARG BASE=alpine:3.20
FROM \${BASE} AS build
ENV A=1
WORKDIR /src
COPY . .
RUN make
LABEL stage=build
RUN make test

FROM debian:12 AS other
RUN apt-get update
COPY --from=build /src/out /out

FROM scratch
COPY --from=other /out /out
CMD ["/out/app"]
`;

const json = (p: LayerPlan) => JSON.parse(JSON.stringify(p)) as unknown;

function replan(before: string, after: string): { fresh: LayerPlan; incremental: LayerPlan; previous: LayerPlan } {
  const syntax = parseDockerfile(before);
  const previous = planDockerfile(syntax);
  // As the language server does it: re-parse from the previous tree, re-plan from the previous plan.
  const incremental = planDockerfile(parseDockerfile(after, { previous: { text: before, syntax } }), { previous });
  const fresh = planDockerfile(parseDockerfile(after));
  return { fresh, incremental, previous };
}

describe('incremental re-planning', () => {
  const edits: [string, string][] = [
    ['a LABEL value', text.replace('stage=build', 'stage=b')],
    ['an ENV value', text.replace('A=1', 'A=2')],
    ['a RUN command', text.replace('RUN make\n', 'RUN make all\n')],
    ['an inserted line', text.replace('RUN apt-get update\n', 'RUN apt-get update\nRUN true\n')],
    ['a removed line', text.replace('WORKDIR /src\n', '')],
    ['a global ARG', text.replace('alpine:3.20', 'alpine:3.21')],
    ['a stage name', text.replace('AS other', 'AS other2').replace('--from=other', '--from=other2')],
    ['a blank line above everything', '\n' + text],
  ];
  for (const [what, after] of edits) {
    it(`gives the same plan as planning from scratch after changing ${what}`, () => {
      const { fresh, incremental } = replan(text, after);
      assert.deepStrictEqual(json(incremental), json(fresh));
    });
  }

  it('gives the same plan after changing a global ARG that a stage declares again (its value reaches the stage through ARG)', () => {
    const before = 'ARG R=1\nFROM busybox AS one\nARG R\nRUN echo $R\n';
    const { incremental, fresh } = replan(before, before.replace('R=1', 'R=2'));
    assert.deepStrictEqual(json(incremental), json(fresh));
    assert.deepStrictEqual(incremental.stages[0].steps[2].args, { R: '2' });
  });

  it('gives the same plan after an ENV edit in a stage another stage is built FROM (its config reaches the child, not its result key)', () => {
    const before = 'FROM busybox AS one\nENV A=1\nENV B=1\n\nFROM one AS two\nRUN echo $A\n\nFROM two\nRUN echo $B\n';
    const { incremental, fresh } = replan(before, before.replace('A=1', 'A=2'));
    assert.deepStrictEqual(json(incremental), json(fresh));
    assert.strictEqual(incremental.stages[1].steps[1].env.A, '2');
  });

  it('hands an ARG declared without a value, added to a stage, on to the stage built FROM it (fast-check found it)', () => {
    const before = 'FROM alpine:3.20 AS tools\nFROM tools\nUSER $R\n';
    const { incremental, fresh } = replan(before, before.replace('tools\n', 'tools\nARG R\n'));
    // JSON leaves `{ R: undefined }` out: the declared names are compared themselves.
    assert.deepStrictEqual(Object.keys(incremental.stages[1].steps[1].args), ['R']);
    assert.deepStrictEqual(Object.keys(incremental.stages[1].steps[1].args), Object.keys(fresh.stages[1].steps[1].args));
    assert.deepStrictEqual(json(incremental), json(fresh));
  });

  it('re-keys the steps after a changed layer without drafting them again, and gives what planning from scratch gives', () => {
    const { incremental, previous, fresh } = replan(text, text.replace('RUN make\n', 'RUN make all\n'));
    assert.deepStrictEqual(json(incremental), json(fresh));
    const [before, after] = [previous.stages[0].steps, incremental.stages[0].steps];
    for (const i of [5, 6]) {
      assert.notStrictEqual(after[i].cacheKey, before[i].cacheKey, `step ${i} has a new parent`);
      assert.strictEqual(after[i].details, before[i].details, `step ${i}'s draft is kept`);
    }
    // The stage copying from it: the COPY --from is drafted again (its source changed), nothing else is.
    const other = [previous.stages[1].steps, incremental.stages[1].steps];
    assert.strictEqual(other[1][1], other[0][1]);
    assert.notStrictEqual(other[1][2].cacheKey, other[0][2].cacheKey);
  });

  it('re-keys the later stages of a chain of COPY --from after an ENV is typed into an earlier one, character by character', () => {
    const stage = (i: number) => `FROM alpine AS s${i}\nENV S=${i}\n${i > 0 ? `COPY --from=s${i - 1} /a /a\n` : ''}RUN echo $S > /a\nENV T=$S\nRUN echo $T\n`;
    let text0 = Array.from({ length: 4 }, (_, i) => stage(i)).join('\n');
    let syntax = parseDockerfile(text0);
    let previous = planDockerfile(syntax);
    // As an editor types it: a line break first, then the characters on the new line.
    const typed = 'ENV TYPED=hello';
    const at = text0.indexOf('RUN echo $S', text0.indexOf('AS s1'));
    for (let n = 0; n <= typed.length; n++) {
      const next = text0.slice(0, at) + typed.slice(0, n) + '\n' + text0.slice(at + Math.max(0, n - 1) + (n === 0 ? 0 : 1));
      const nextSyntax = parseDockerfile(next, { previous: { text: text0, syntax } });
      const plan = planDockerfile(nextSyntax, { previous });
      assert.deepStrictEqual(json(plan), json(planDockerfile(parseDockerfile(next))), `after typing ${JSON.stringify(typed.slice(0, n))}`);
      assert.strictEqual(plan.stages[3].steps[4].details, previous.stages[3].steps[4].details, 'a later stage\'s ENV after its COPY --from keeps its draft');
      assert.strictEqual(plan.stages[3].steps[2].details, previous.stages[3].steps[2].details, 'so does the COPY --from, with its source\'s new result key');
      if (n > 'ENV TYPED='.length) {
        // A RUN below the typed ENV that does not read what it sets keeps its draft too; its key takes the new variables.
        const [now, then] = [plan.stages[1].steps[4], previous.stages[1].steps[4]];
        assert.strictEqual(now.display, 'RUN echo $S > /a');
        assert.strictEqual(now.details, then.details);
        assert.notStrictEqual(now.cacheKey, then.cacheKey);
        assert.strictEqual(now.env.TYPED, typed.slice('ENV TYPED='.length, n));
      }
      [text0, syntax, previous] = [next, nextSyntax, plan];
    }
  });

  it('reuses unchanged steps by identity and recomputes the ones after a change', () => {
    const { incremental, previous } = replan(text, text.replace('A=1', 'A=2'));
    const before = previous.stages[0].steps;
    const after = incremental.stages[0].steps;
    assert.deepStrictEqual(after.map((s) => s.instruction), ['FROM', 'ENV', 'WORKDIR', 'COPY', 'RUN', 'LABEL', 'RUN']);
    assert.strictEqual(after[0].cacheKey, before[0].cacheKey);
    assert.notStrictEqual(after[1], before[1], 'the ENV step changed');
    assert.notStrictEqual(after[4].cacheKey, before[4].cacheKey, 'RUN sees the new ENV');
    assert.strictEqual(incremental.stages[1].steps[1], previous.stages[1].steps[1], 'another stage is untouched');
  });

  it('keeps reusing steps after a LABEL edit, because LABEL does not change the filesystem state', () => {
    const { incremental, previous } = replan(text, text.replace('stage=build', 'stage=b'));
    assert.notStrictEqual(incremental.stages[0].steps[5], previous.stages[0].steps[5]);
    assert.strictEqual(incremental.stages[0].steps[6], previous.stages[0].steps[6]);
  });

  it('moves reused steps when lines are inserted above them', () => {
    const { incremental, previous } = replan(text, '# new comment\n' + text);
    const before = previous.stages[1].steps[1];
    const after = incremental.stages[1].steps[1];
    assert.strictEqual(after.cacheKey, before.cacheKey);
    assert.strictEqual(after.range.start.line, before.range.start.line + 1);
  });

  it('takes a moved continued instruction\'s step over, moved, after lines inserted above it twice', () => {
    const continued = text.replace('RUN apt-get update', 'RUN apt-get update \\\n  && apt-get install -y curl');
    const versions = ['', '# one\n', '# one\n# two\n'].map((added) => continued.replace('FROM debian:12', `${added}FROM debian:12`));
    let syntax = parseDockerfile(versions[0]);
    const plans = [planDockerfile(syntax)];
    for (let v = 1; v < versions.length; v++) {
      syntax = parseDockerfile(versions[v], { previous: { text: versions[v - 1], syntax } });
      plans.push(planDockerfile(syntax, { previous: plans[v - 1] }));
    }
    const [first, , last] = plans.map((p) => p.stages[1].steps[1]);
    assert.strictEqual(last.range.end.line, first.range.end.line + 2);
    // Taken over (its parts kept), not planned again from a signature that no longer matched.
    assert.strictEqual(last.arguments, first.arguments);
    assert.deepStrictEqual(json(plans[2]), json(planDockerfile(parseDockerfile(versions[2]))));
  });

  it('gives the same plan from a fresh parse of the edited text (no shared objects)', () => {
    const previous = planDockerfile(parseDockerfile(text));
    const after = text.replace('A=1', 'A=3');
    assert.deepStrictEqual(json(planDockerfile(parseDockerfile(after), { previous })), json(planDockerfile(parseDockerfile(after))));
  });

  it('ignores a previous plan made with other options', () => {
    const previous = planDockerfile(parseDockerfile(text), { buildArgs: { BASE: 'alpine:3.19' } });
    const plan = planDockerfile(parseDockerfile(text), { previous });
    assert.deepStrictEqual(json(plan), json(planDockerfile(parseDockerfile(text))));
  });

  it('gives the same plan as planning from scratch for random edits of realistic files', () => {
    const base = realisticDockerfile(2500, 21);
    const syntax = parseDockerfile(base);
    const previous = planDockerfile(syntax);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 3 }), (seed, edits) => {
      const after = mutate(base, seed, edits);
      const incremental = planDockerfile(parseDockerfile(after, { previous: { text: base, syntax } }), { previous });
      assert.deepStrictEqual(json(incremental), json(planDockerfile(parseDockerfile(after))));
    }), { numRuns: 150 });
  });
  it('moves a reused step\'s positions sideways when its instruction is indented or unindented (fast-check found it)', () => {
    const before = 'FROM debian:12\nARG V=1\nENV PATH=/opt/bin:$PATH LANG=C.UTF-8\nRUN echo $PATH \\\n  && echo $V\nCOPY --chown=$V a /b\n';
    for (const after of [before.replace('\nENV', '\n\tENV').replace('\nRUN', '\n  RUN'), before.replace('\nCOPY', '\n    COPY')]) {
      const { incremental, fresh } = replan(before, after);
      assert.deepStrictEqual(json(incremental), json(fresh));
      const { incremental: back, fresh: backFresh } = replan(after, before);
      assert.deepStrictEqual(json(back), json(backFresh));
    }
  });

  it('takes untouched stages over as the same objects and re-plans the edited stage and the ones copying from it', () => {
    const stage = (i: number) => `FROM alpine AS s${i}\nRUN echo ${i}\nCOPY --from=${i === 6 ? 's5' : 'busybox'} /a /a${i}\n`;
    const before = Array.from({ length: 12 }, (_, i) => stage(i)).join('\n');
    const { incremental, previous, fresh } = replan(before, before.replace('RUN echo 5\n', 'RUN echo five\n'));
    assert.deepStrictEqual(json(incremental), json(fresh));
    for (let i = 0; i < 12; i++) {
      const same = incremental.stages[i] === previous.stages[i];
      assert.strictEqual(same, i < 5 || i > 6, `stage ${i}`);
    }
  });

  it('gives the same plan when a continued instruction becomes two on the same lines (later ones reused at new indices)', () => {
    const before = 'FROM alpine AS a\nRUN one \\\n  two\nENV X=1\nRUN three\n\nFROM a\nCOPY --from=a /x /x\nRUN four\n';
    const after = before.replace('RUN one \\\n  two', 'RUN one\nRUN two');
    const { incremental, fresh } = replan(before, after);
    assert.deepStrictEqual(json(incremental), json(fresh));
    assert.strictEqual(incremental.stages[0].steps.length, 5);
  });
});
