// A lint context that takes the index of the version before over (stages, the stage and planned
// step of each instruction) equals one built from scratch.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile, type LayerPlan } from '../../../server/plan';
import { LintContext } from '../../../server/rules/lintContext';
import { runAllSteps } from '../../../server/steps';
import { mutate, realisticDockerfile } from '../parser/dockerfileGenerator';

interface Version { text: string; syntax: DockerfileSyntax; plan: LayerPlan; context: LintContext }

function versionOf(text: string, before?: Version): Version {
  const syntax = parseDockerfile(text, before && { previous: { text: before.text, syntax: before.syntax } });
  const plan = planDockerfile(syntax, before && { previous: before.plan });
  return { text, syntax, plan, context: runAllSteps(LintContext.inSteps(syntax, plan, {}, before?.context)) };
}

/** Everything the index answers, per instruction and per stage. */
function indexOf(context: LintContext): string {
  const perInstruction = context.instructions.map((_, i) => [context.stageIndexOf(i), context.step(i)?.cacheKey ?? null, context.step(i)?.instructionIndex ?? null]);
  const stages = context.stages.map((s) => [s.index, s.fromIndex, s.from === context.instructions[s.fromIndex], s.body, s.name ?? null, s.plan === context.plan.stages[s.index]]);
  return JSON.stringify({ perInstruction, stages, global: context.globalInstructions, checked: context.checkedStages === context.stages });
}

describe('lint context after an edit', () => {
  it('equals a context built from scratch on mutated realistic files, editing and editing back', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const text = realisticDockerfile(3000, seed);
      const mutated = mutate(text, seed, 1 + (seed % 3));
      const v2 = versionOf(mutated, versionOf(text));
      assert.strictEqual(indexOf(v2.context), indexOf(versionOf(mutated).context), `seed ${seed}`);
      assert.strictEqual(indexOf(versionOf(text, v2).context), indexOf(versionOf(text).context), `seed ${seed}, edited back`);
    }
  });

  it('equals a context built from scratch after one-line edits that re-plan a stage, rename it or make it another', () => {
    const text = generatedDockerfile(3000);
    const lines = text.split('\n');
    const middle = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('ENV LEVEL_'));
    const from = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('FROM '));
    const run = lines.findIndex((l, i) => i > from && l.startsWith('RUN echo'));
    const withLine = (at: number, line: string) => lines.map((l, i) => (i === at ? line : l)).join('\n');
    let version = versionOf(text);
    const edits: [string, boolean][] = [
      [withLine(middle, lines[middle].replace('=', '=x')), true],
      [withLine(from, `${lines[from]}x`), true],
      [withLine(run, 'FROM scratch'), false],
      [withLine(from, 'RUN true'), false],
      [text, false],
    ];
    for (const [edited, takenOver] of edits) {
      const before = version;
      version = versionOf(edited, before);
      assert.strictEqual(indexOf(version.context), indexOf(versionOf(edited).context));
      assert.strictEqual(version.context.globalInstructions === before.context.globalInstructions, takenOver, 'the index is taken over while the stages start where they did');
    }
  });
});
