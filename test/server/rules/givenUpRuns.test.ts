// A lint in turns given up for a newer version (typing fast into a large file) leaves the stage
// checks it finished to the next run, which takes them over and still equals a lint from scratch.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import type { DocumentModel } from '../../../server/documentModels';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { DocumentLinter } from '../../../server/rules/documentLinter';
import { collectProblems, lintDocument, runRules, runRulesInTurns, upstreamFindings, type FinishedChecks, type LintProblem } from '../../../server/rules/lintDocument';

/** The text with its global ARG changed: every stage is checked again. */
function edit(text: string): string {
  assert.ok(text.includes('ARG RELEASE=1.0.0'));
  return text.replace('ARG RELEASE=1.0.0', 'ARG RELEASE=2.0.0');
}

/** A `current` that says the input is stale after `turns` turns. */
function staleAfter(turns: number): () => boolean {
  let left = turns;
  return () => --left > 0;
}

const fresh = (text: string): LintProblem[] => {
  const syntax = parseDockerfile(text);
  return lintDocument({ syntax, plan: planDockerfile(syntax) });
};

describe('rules: runs given up for a newer version', () => {
  // Large enough that a lint of every stage takes several turns even on a fast, quiet machine.
  const text = generatedDockerfile(16000);
  const edited = edit(text);

  it('leave their finished stage checks to the next run, which equals a lint from scratch', async () => {
    const syntax1 = parseDockerfile(text);
    const plan1 = planDockerfile(syntax1);
    const first = runRules({ syntax: syntax1, plan: plan1 });
    const syntax2 = parseDockerfile(edited, { previous: { text, syntax: syntax1 } });
    const plan2 = planDockerfile(syntax2, { previous: plan1 });
    const input = { syntax: syntax2, plan: plan2 };
    const alone = runRules(input, {}, {}, undefined, first);
    const finished: FinishedChecks = new Map();
    const givenUp = await runRulesInTurns(input, {}, {}, staleAfter(60), undefined, first, undefined, 0, finished);
    assert.strictEqual(givenUp, undefined, 'the run was given up');
    assert.ok(finished.size > 0, 'some stage checks were finished');
    const next = runRules(input, {}, {}, undefined, first, undefined, finished);
    assert.ok(next.stageChecks.run < alone.stageChecks.run, `${JSON.stringify(next.stageChecks)} against ${JSON.stringify(alone.stageChecks)}`);
    assert.deepStrictEqual(next.findings.length, alone.findings.length);
    assert.deepStrictEqual(collectProblems(next, upstreamFindings(input)), fresh(edited));
  });

  it('in the document linter: a lint after one given up checks fewer stages and shows what a fresh linter shows', async () => {
    const uri = 'file:///tmp/given-up/Dockerfile';
    const settings = { severity: {}, buildArgs: {} };
    const syntax1 = parseDockerfile(text);
    const model1: DocumentModel = { uri, version: 1, text, syntax: syntax1, plan: planDockerfile(syntax1) };
    const syntax2 = parseDockerfile(edited, { previous: { text, syntax: syntax1 } });
    const model2: DocumentModel = { uri, version: 2, text: edited, syntax: syntax2, plan: planDockerfile(syntax2, { previous: model1.plan }) };
    // The lint not given up, and how many turns it takes (a turn is a few milliseconds of work).
    const other = new DocumentLinter();
    await other.lintInTurns(model1, settings, () => true);
    let turns = 0;
    const unbroken = await other.lintInTurns(model2, settings, () => ++turns > 0);
    assert.ok(unbroken && turns >= 2, `${turns} turns`);
    const expected = fresh(edited);
    // Turns are time slices, so how much a run finishes before it is given up varies with the
    // machine: give runs up after one turn, then two, ... until one has finished stage checks.
    for (let given = 1; ; given++) {
      const linter = new DocumentLinter();
      await linter.lintInTurns(model1, settings, () => true);
      const givenUp = await linter.lintInTurns(model2, settings, staleAfter(given));
      assert.strictEqual(givenUp, undefined, `a lint stale after ${given} of ${turns} turns was not given up, and none given up before it had finished a stage check`);
      const lint = await linter.lintInTurns(model2, settings, () => true);
      assert.ok(lint);
      assert.deepStrictEqual(lint.problems, expected);
      if (lint.run.stageChecks.run < unbroken.run.stageChecks.run) break;
    }
  });
});
