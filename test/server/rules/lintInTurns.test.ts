import * as assert from 'assert';
import type { DocumentModel } from '../../../server/documentModels';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { DocumentLinter } from '../../../server/rules/documentLinter';
import { LintContext } from '../../../server/rules/lintContext';
import { collectProblems, runRules, runRulesInTurns, upstreamFindings, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';
import { defaultCheckConfig } from '../../../server/rules/checkDirective';
import { SuppressionPolicy } from '../../../server/rules/policy';
import { allRules } from '../../../server/rules/registry';
import { ShellcheckService } from '../../../server/shellcheck/shellcheckService';
import type { Finding } from '../../../server/rules/types';

// Stages with findings of document- and stage-scoped rules in each, one built FROM another.
const stage = (n: number, base: string) => [
  `from ${base} AS Stage${n}`,
  'ARG API_TOKEN',
  `ENV HOME_DIR=/srv legacy value${n}`,
  'WORKDIR app',
  `RUN apt-get update && apt-get install -y curl${n} \\`,
  '    && cd /tmp && curl -o /tmp/x https://e.org/x | sh',
  'COPY . .',
  `RUN npm install left-pad${n} && pip install flask`,
  'RUN sudo rm -f /tmp/x $UNDEFINED_IN_SHELL',
  'COPY $nope /dst/',
  'EXPOSE 80/TCP',
  'CMD run now',
  'CMD ["x"]',
].join('\n');

const text = ['ARG BASE=debian:12', stage(0, 'debian'), stage(1, 'stage0'), stage(2, '${BASE}'), stage(3, 'stage2'), stage(4, 'ubuntu:latest'), 'USER root', ''].join('\n');
const syntax = parseDockerfile(text);
const plan = planDockerfile(syntax);

const keyOf = (f: Finding) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`;
const shown = (problems: LintProblem[]) => problems.map((p) => `${p.severity} ${p.code}@${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character} ${p.message}`);

/** Each enabled rule checked once over the whole document (every stage at once): what a split run must equal. */
function unsplitFindings(): Finding[] {
  const context = new LintContext(syntax, plan);
  const policy = new SuppressionPolicy(defaultCheckConfig, context.pragmas, {});
  for (const rule of allRules) if (rule.check && policy.ruleEnabled(rule.meta)) rule.check(context);
  return context.findings;
}

function modelOf(): DocumentModel {
  return { uri: 'file:///tmp/lint-in-turns/Dockerfile', version: 1, text, syntax, plan };
}

describe('rules: a lint in turns', () => {
  it('has findings in every stage of the test file (so the comparisons below mean something)', () => {
    const run = runRules({ syntax, plan });
    const context = run.context;
    const stagesWithFindings = new Set(run.findings.map((f) => context.stageIndexOf(f.instructionIndex ?? -1)));
    for (const s of context.stages) assert.ok(stagesWithFindings.has(s.index), `no finding in stage ${s.index}`);
  });

  it('finds what each rule finds when checked over all stages at once (stage rules run one stage per step)', () => {
    const run = runRules({ syntax, plan });
    assert.deepStrictEqual(run.findings.map(keyOf).sort(), unsplitFindings().map(keyOf).sort());
  });

  it('with a turn after every step, equals the rules run at once, finding for finding and problem for problem', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const inTurns = (await runRulesInTurns({ syntax, plan }, {}, {}, () => true, undefined, undefined, undefined, 0)) as RuleRun;
    counting = false;
    const atOnce = runRules({ syntax, plan });
    assert.ok(turns > 20, `only ${turns} turns`);
    assert.deepStrictEqual(inTurns.findings.map(keyOf), atOnce.findings.map(keyOf));
    assert.deepStrictEqual([...inTurns.stageFindings.keys()], [...atOnce.stageFindings.keys()]);
    const upstream = upstreamFindings({ syntax, plan });
    assert.deepStrictEqual(shown(collectProblems(inTurns, upstream)), shown(collectProblems(atOnce, upstream)));
  });

  it('gives up (undefined) at the first turn after the input went stale', async () => {
    let checks = 0;
    const run = await runRulesInTurns({ syntax, plan }, {}, {}, () => ++checks < 3, undefined, undefined, undefined, 0);
    assert.strictEqual(run, undefined);
    assert.strictEqual(checks, 3);
  });

  it("the document linter's lint in turns equals its lint at once", async () => {
    const model = modelOf();
    const settings = { severity: { DL3008: 'error' }, buildArgs: {} };
    const inTurns = await new DocumentLinter().lintInTurns(model, settings, () => true);
    const atOnce = new DocumentLinter().lint(model, settings);
    assert.ok(inTurns);
    assert.ok(atOnce.problems.length > 40);
    assert.deepStrictEqual(shown(inTurns.problems), shown(atOnce.problems));
  });

  it('lints of one model at the same time share one rule run, which goes on while any of them wants it', async () => {
    const model = modelOf();
    const settings = { severity: {}, buildArgs: {} };
    const linter = new DocumentLinter();
    let codeActionWanted = true;
    const codeAction = linter.lintInTurns(model, settings, () => codeActionWanted);
    const diagnostics = linter.lintInTurns(model, settings, () => true);
    codeActionWanted = false;
    assert.strictEqual(await codeAction, undefined, 'the one that gave up');
    const shared = await diagnostics;
    assert.ok(shared);
    const again = await linter.lintInTurns(model, settings, () => true);
    assert.strictEqual(again?.run, shared.run, 'one run, remembered');
    const both = await Promise.all([new DocumentLinter(), new DocumentLinter()].map((l) => l.lintInTurns(model, settings, () => true)));
    assert.notStrictEqual(both[0]?.run, both[1]?.run, 'separate linters run separately');
    const one = new DocumentLinter();
    const [a, b] = await Promise.all([one.lintInTurns(model, settings, () => true), one.lintInTurns(model, settings, () => true)]);
    assert.strictEqual(a?.run, b?.run, 'two lints at once share the run');
    assert.deepStrictEqual(shown(shared.problems), shown(new DocumentLinter().lint(model, settings).problems));
  });

  it("with shellcheck's findings of 150 RUNs, a lint in turns equals the lint at once", async function () {
    const shellcheck = new ShellcheckService();
    if (!shellcheck.available) this.skip();
    this.timeout(60000);
    const runs = Array.from({ length: 150 }, (_, i) => `RUN echo $HOME_${i % 3} && cd /tmp${i}`);
    const manyRuns = ['FROM debian:12 AS a', ...runs.slice(0, 75), 'FROM a', ...runs.slice(75), ''].join('\n');
    const syntax2 = parseDockerfile(manyRuns);
    const model: DocumentModel = { uri: 'file:///tmp/lint-in-turns/Many', version: 1, text: manyRuns, syntax: syntax2, plan: planDockerfile(syntax2) };
    const settings = { severity: {}, buildArgs: {} };
    const linter = new DocumentLinter({ shellcheck });
    assert.strictEqual((await linter.lintInTurns(model, settings, () => true))?.shellcheckPending, true);
    await shellcheck.idle();
    const inTurns = await linter.lintInTurns(model, settings, () => true);
    const atOnce = new DocumentLinter({ shellcheck }).lint(model, settings);
    assert.ok(inTurns && !inTurns.shellcheckPending && !atOnce.shellcheckPending);
    assert.ok(inTurns.problems.filter((p) => p.source === 'shellcheck').length >= 150);
    assert.deepStrictEqual(shown(inTurns.problems), shown(atOnce.problems));
  });
});
