// A lint after an edit, taking stage findings over from the lint before, shows exactly the problems a
// lint from scratch shows: on mutated realistic files and on edits in the middle of a long chain.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import { collectProblems, lintDocument, runRules, upstreamFindings, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';
import { mutate, realisticDockerfile } from '../parser/dockerfileGenerator';

interface Version { text: string; syntax: DockerfileSyntax; plan: LayerPlan; run: RuleRun }

function first(text: string): Version {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax);
  return { text, syntax, plan, run: runRules({ syntax, plan }) };
}

/** The next version as the language server makes it: re-parsed, re-planned and linted from the one before. */
function next(before: Version, text: string): Version {
  const syntax = parseDockerfile(text, { previous: { text: before.text, syntax: before.syntax } });
  const plan = planDockerfile(syntax, { previous: before.plan });
  return { text, syntax, plan, run: runRules({ syntax, plan }, {}, {}, undefined, before.run) };
}

function problemsOf(version: Version): LintProblem[] {
  return collectProblems(version.run, upstreamFindings({ syntax: version.syntax, plan: version.plan }));
}

function fresh(text: string): LintProblem[] {
  const syntax = parseDockerfile(text);
  return lintDocument({ syntax, plan: planDockerfile(syntax) });
}

describe('lint after an edit equals a lint from scratch', () => {
  it('on mutated realistic files, editing and editing back', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const text = realisticDockerfile(1500, seed);
      const mutated = mutate(text, seed, 1 + (seed % 3));
      const v1 = first(text);
      const v2 = next(v1, mutated);
      assert.deepStrictEqual(problemsOf(v2), fresh(mutated), `seed ${seed}`);
      const v3 = next(v2, text);
      assert.deepStrictEqual(problemsOf(v3), problemsOf(v1), `seed ${seed}, edited back`);
    }
  });

  it('on one-line edits in the middle of a long COPY --from chain, taking the other stages over', () => {
    const text = generatedDockerfile(3000);
    const lines = text.split('\n');
    const middle = lines.findIndex((l, i) => i > lines.length / 2 && /^[A-Z]+\s/.test(l));
    const env = lines.findIndex((l, i) => i > middle && l.startsWith('ENV LEVEL_'));
    const withLine = (at: number, f: (line: string) => string) => lines.map((l, i) => (i === at ? f(l) : l)).join('\n');
    let version = first(text);
    const spaced = withLine(middle, (l) => `${l} `);
    for (const edited of [spaced, withLine(env, (l) => l.replace('=', '=x')), withLine(middle, (l) => `# note\n${l}`), text]) {
      version = next(version, edited);
      assert.deepStrictEqual(problemsOf(version), fresh(edited));
      if (edited === spaced) assert.ok(version.run.stageChecks.reused > version.run.stageChecks.run, JSON.stringify(version.run.stageChecks));
    }
  });
});
