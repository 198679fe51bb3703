// A lint after an edit, taking stage findings over from the lint before, shows exactly the problems a
// lint from scratch shows: on mutated realistic files and on edits in the middle of a long chain.
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import { collectProblems, lintDocument, runRules, upstreamFindings, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';
import { mutate, realisticDockerfile } from '../parser/dockerfileGenerator';
import type { LintOptions } from '../../../server/rules/lintContext';

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

describe('lint after the local store changed equals a lint from scratch', () => {
  it('a base image pulled meanwhile (its env, platform and digest) is read again, not taken over', () => {
    const text = 'FROM example.test/app:1 AS app\nWORKDIR $APP_HOME/src\nFROM app\nENV B=$APP_HOME C=$LATER\n';
    const syntax = parseDockerfile(text);
    const plan = planDockerfile(syntax);
    const pulled = { find: (ref: string) => (ref === 'example.test/app:1' ? { digest: `sha256:${'a'.repeat(64)}`, platform: 'linux/amd64', env: { APP_HOME: '/srv' } } : undefined) };
    const none = { find: () => undefined };
    const strict = { find: (ref: string) => (ref === 'example.test/app:1' ? { digest: `sha256:${'b'.repeat(64)}`, platform: 'linux/amd64', env: {} } : undefined) };
    let before = runRules({ syntax, plan }, { images: none });
    for (const images of [strict, pulled, strict, none]) {
      const after = runRules({ syntax, plan }, { images }, {}, undefined, before);
      const upstream = upstreamFindings({ syntax, plan });
      assert.deepStrictEqual(collectProblems(after, upstream), lintDocument({ syntax, plan }, { images }));
      before = after;
    }
    // The case itself: with the image's env known, $APP_HOME is defined and $LATER is not.
    const codes = (images: NonNullable<LintOptions['images']>) => lintDocument({ syntax, plan }, { images }).filter((p) => p.code === 'UndefinedVar').map((p) => p.message);
    assert.ok(codes(pulled).every((m) => !m.includes('APP_HOME')) && codes(pulled).some((m) => m.includes('LATER')), JSON.stringify(codes(pulled)));
    assert.ok(codes(strict).some((m) => m.includes('APP_HOME')), JSON.stringify(codes(strict)));
  });
});
