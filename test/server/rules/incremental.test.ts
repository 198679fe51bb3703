import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import { runRules, type RuleRun } from '../../../server/rules/lintDocument';

const stage = (n: number, base = 'debian:12') => [
  `FROM ${base} AS s${n}`,
  'ARG TOKEN_SECRET',
  'ENV HOME_DIR=/srv legacy value',
  'WORKDIR app',
  'RUN apt-get update && apt-get install -y curl \\',
  '    && cd /tmp && curl -o /tmp/x https://e.org/x | sh',
  'COPY . .',
  'RUN npm ci && pip install flask',
  'RUN rm -f /tmp/x $UNDEFINED_IN_SHELL',
  'COPY $nope /dst/',
  'CMD run now',
  'CMD ["x"]',
].join('\n');

const original = ['ARG BASE=debian:12', stage(0), stage(1, 's0'), stage(2, '${BASE}'), stage(3, 's2'), 'USER root', ''].join('\n');

const keys = (run: RuleRun) => run.findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`).sort();

describe('rules: incremental runs after an edit', () => {
  const edits: [string, (t: string) => string][] = [
    ['a RUN in the middle stage', (t) => t.replace('RUN npm ci && pip install flask\nRUN rm -f /tmp/x $UNDEFINED_IN_SHELL\nCOPY $nope /dst/\nCMD run now\nCMD ["x"]\nFROM ${BASE}', 'RUN npm ci && pip install --no-cache-dir flask\nRUN rm -f /tmp/x $UNDEFINED_IN_SHELL\nCOPY $nope /dst/\nCMD run now\nCMD ["x"]\nFROM ${BASE}')],
    ['an ENV of a base stage (derived stages change too)', (t) => t.replace('ENV HOME_DIR=/srv legacy value', 'ENV HOME_DIR=/srv nope=$HOME_DIR')],
    ['a line added in the first stage', (t) => t.replace('WORKDIR app', 'WORKDIR /app\nRUN sudo true')],
    ['the global ARG', (t) => t.replace('ARG BASE=debian:12', 'ARG BASE=debian:latest')],
    ['the target (last) stage', (t) => t.replace('USER root', 'USER app')],
    ['a stage name', (t) => t.replace('AS s2', 'AS S2')],
  ];
  for (const [what, edit] of edits) {
    it(`after editing ${what}, equals a fresh run and reuses unchanged stages`, () => {
      const syntax1 = parseDockerfile(original);
      const plan1 = planDockerfile(syntax1);
      const first = runRules({ syntax: syntax1, plan: plan1 });
      const text2 = edit(original);
      assert.notStrictEqual(text2, original, 'the edit applies');
      const syntax2 = parseDockerfile(text2, { previous: { text: original, syntax: syntax1 } });
      const plan2 = planDockerfile(syntax2, { previous: plan1 });
      const incremental = runRules({ syntax: syntax2, plan: plan2 }, {}, {}, undefined, first);
      const fresh = runRules({ syntax: parseDockerfile(text2), plan: planDockerfile(parseDockerfile(text2)) });
      assert.deepStrictEqual(keys(incremental), keys(fresh));
      assert.ok(keys(fresh).length > 10, 'the document has findings');
      return incremental;
    });
  }
  it('reuses stage findings when nothing changed in them', () => {
    const syntax1 = parseDockerfile(original);
    const plan1 = planDockerfile(syntax1);
    const first = runRules({ syntax: syntax1, plan: plan1 });
    assert.strictEqual(first.stageChecks.reused, 0);
    const text2 = original.replace('USER root', 'USER root ');
    const syntax2 = parseDockerfile(text2, { previous: { text: original, syntax: syntax1 } });
    const again = runRules({ syntax: syntax2, plan: planDockerfile(syntax2, { previous: plan1 }) }, {}, {}, undefined, first);
    assert.ok(again.stageChecks.reused > again.stageChecks.run, JSON.stringify(again.stageChecks));
  });

  it('a lint of the sized plan runs only the rules that read sizes and equals a fresh lint', () => {
    const text = `${original}\nFROM alpine:3.20\nWORKDIR /tmp\nCOPY app.tar.gz ./\nRUN tar xzf app.tar.gz -C /opt && rm app.tar.gz\n`;
    const syntax = parseDockerfile(text);
    const planned = planDockerfile(syntax);
    const sized: LayerPlan = { ...planned, stages: planned.stages.map((s) => ({ ...s, steps: s.steps.map((step) => ({ ...step, predictedBytes: 5_000_000 })) })) };
    const unsized = runRules({ syntax, plan: planned });
    const carried = runRules({ syntax, plan: sized }, {}, {}, undefined, unsized, unsized);
    const fresh = runRules({ syntax, plan: sized });
    assert.deepStrictEqual(keys(carried), keys(fresh));
    assert.ok(carried.carried > 10, `rules carried over: ${carried.carried}`);
    assert.strictEqual(unsized.carried, 0);
    const wording = (run: RuleRun) => run.findings.filter((f) => f.code === 'FileDeletedInLaterLayer').map((f) => f.message);
    assert.match(wording(unsized)[0], /\(size unknown\)$/);
    assert.match(wording(carried)[0], /\(5 MB wasted\)$/, 'the size-reading rule ran on the sized plan, not taken over');
  });
});
