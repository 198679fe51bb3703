// Sizes predicted while a lint of the plan without them goes on in turns (a large file: the
// diagnostics lint and size prediction run side by side): the lint must not come back, or be kept,
// as a lint of the sized plan, or size-worded findings say "size unknown" until the next edit.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import type { DocumentModel } from '../../../server/documentModels';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { predictStepSizes } from '../../../server/plan/size';
import { DocumentLinter } from '../../../server/rules/documentLinter';
import { lintDocument } from '../../../server/rules/lintDocument';

describe('rules: sizes predicted while a lint runs in turns', () => {
  // Large enough that the rules take several turns; its last stage writes a file the next layer deletes.
  const text = `${generatedDockerfile(16000)}\nFROM scratch AS sized\nRUN echo hello > /a\nRUN rm /a\n`;
  const syntax = parseDockerfile(text);
  const planned = planDockerfile(syntax);
  const sizedPlan = predictStepSizes(planned, {});
  const settings = { severity: {}, buildArgs: {} };
  const wasted = (problems: readonly { code: string; message: string }[]) => problems.filter((p) => p.code === 'FileDeletedInLaterLayer' && p.message.startsWith('/a '));

  it('lints the sized plan when the sizes came meanwhile, and keeps no unsized run for it', async () => {
    let sized = false;
    const model: DocumentModel = { uri: 'file:///tmp/sized-meanwhile/Dockerfile', version: 1, text, syntax, planned, get plan() { return sized ? sizedPlan : planned; }, sizesPending: () => !sized };
    const expected = lintDocument({ syntax, plan: sizedPlan, text });
    assert.match(wasted(expected)[0]?.message ?? '', /\(\d+(\.\d+)? [kM]?B of that layer wasted\)$/);
    const linter = new DocumentLinter();
    let turns = 0;
    // The sizes arrive after the first turn of the lint.
    const lint = await linter.lintInTurns(model, settings, () => {
      turns++;
      sized = true;
      return true;
    });
    assert.ok(lint && turns > 1, `${turns} turns`);
    assert.strictEqual(lint.sizesPending, false);
    assert.deepStrictEqual(wasted(lint.problems), wasted(expected));
    assert.deepStrictEqual(lint.problems, expected);
    const again = await linter.lintInTurns(model, settings, () => true);
    assert.deepStrictEqual(again?.problems, expected);
  });

  it('says the sizes are pending when they are, so that diagnostics lint again once they are there', async () => {
    const model: DocumentModel = { uri: 'file:///tmp/sized-later/Dockerfile', version: 1, text, syntax, planned, plan: sizedPlan, sizesPending: () => true };
    const lint = await new DocumentLinter().lintInTurns(model, settings, () => true);
    assert.strictEqual(lint?.sizesPending, true);
    assert.match(wasted(lint?.problems ?? [])[0]?.message ?? '', /\(size unknown\)$/);
  });
});
