// Stages after a line typed into an earlier stage are the same instructions at other instruction
// indexes (and, after a line break, other lines): their findings are taken over, moved, and the lint
// equals one from scratch (suppressions by instruction index and quick fixes included).
import * as assert from 'assert';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import type { LayerPlan } from '../../../server/plan';
import { collectProblems, lintDocument, runRules, upstreamFindings, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';

interface Version { text: string; syntax: DockerfileSyntax; plan: LayerPlan; run: RuleRun }

function first(text: string): Version {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax);
  return { text, syntax, plan, run: runRules({ syntax, plan }) };
}

function next(before: Version, text: string, withText = false): Version {
  const syntax = parseDockerfile(text, { previous: { text: before.text, syntax: before.syntax } });
  const plan = planDockerfile(syntax, { previous: before.plan });
  return { text, syntax, plan, run: runRules({ syntax, plan, text: withText ? text : undefined }, {}, {}, undefined, before.run) };
}

/** Everything a problem shows, quick fixes included. */
const shown = (problems: readonly LintProblem[]) => problems.map((p) => JSON.stringify({ ...p, fixes: p.fixes }));

const problemsOf = (v: Version): LintProblem[] => collectProblems(v.run, upstreamFindings({ syntax: v.syntax, plan: v.plan }));

function fresh(text: string): LintProblem[] {
  const syntax = parseDockerfile(text);
  return lintDocument({ syntax, plan: planDockerfile(syntax) });
}

describe('rules: stages moved by a typed instruction', () => {
  // 4 stages; the last has an AptPinVersions finding suppressed for one instruction only.
  const lines = generatedDockerfile(3000).split('\n');
  const suppressed = lines.findIndex((l, i) => i > 2500 && l.startsWith('RUN apt-get update'));
  lines.splice(suppressed, 0, '# hadolint ignore=AptPinVersions');
  const secondStage = lines.findIndex((l) => l.startsWith('FROM ') && l.endsWith('stage1'));
  const typedAt = secondStage + 4;
  const withTyped = (typed: string) => [...lines.slice(0, typedAt), typed, ...lines.slice(typedAt)].join('\n');

  it('takes the later stages over with moved instruction indexes, and equals a lint from scratch', () => {
    let version = first(withTyped(''));
    const before = problemsOf(version);
    assert.ok(before.some((p) => p.code === 'AptPinVersions' && p.range.start.line > suppressed + 1), 'the last stage has findings');
    assert.ok(!before.some((p) => p.code === 'AptPinVersions' && p.range.start.line === suppressed + 2), 'the suppression applies');
    for (const typed of ['E', 'EN', 'ENV X=1', 'ENV X=$NOPE', '', 'RUN true', '']) {
      const text = withTyped(typed);
      version = next(version, text);
      assert.deepStrictEqual(problemsOf(version), fresh(text), JSON.stringify(typed));
      // Only the stage typed into is checked again (no FROM typed: stage indexes are the same).
      const stages = version.run.context.stages.length;
      assert.ok(version.run.stageChecks.run * (stages - 1) <= version.run.stageChecks.reused, `${JSON.stringify(typed)}: ${JSON.stringify(version.run.stageChecks)}`);
    }
  });

  it('moves the kept instruction indexes (the findings of later stages point at their instructions)', () => {
    const v1 = first(withTyped(''));
    const v2 = next(v1, withTyped('ENV TYPED=1'));
    const context = v2.run.context;
    const later = v2.run.findings.filter((f) => f.instructionIndex !== undefined && context.stageIndexOf(f.instructionIndex) > 1);
    assert.ok(later.length > 10);
    assert.ok(v2.run.stageChecks.reused > v2.run.stageChecks.run, JSON.stringify(v2.run.stageChecks));
    for (const f of later) {
      const node = v2.syntax.instructions[f.instructionIndex as number];
      assert.ok(node.range.start.line <= f.range.start.line && f.range.start.line <= node.range.end.line, `${f.code} at line ${f.range.start.line} is in instruction ${f.instructionIndex}`);
    }
  });

  it('checks stages again when a typed FROM moves their stage indexes, and equals a lint from scratch', () => {
    let version = first(withTyped(''));
    for (const typed of ['FROM alpine AS typed', 'FROM alpine AS typed2', '']) {
      const text = withTyped(typed);
      version = next(version, text);
      assert.deepStrictEqual(problemsOf(version), fresh(text), JSON.stringify(typed));
    }
  });

  describe('with the text (stages moved by lines typed above them keep their findings, moved)', () => {
    // A later stage with findings that name lines (CurlAndWget, MultipleInstructionsDisallowed's fix)
    // and a quick fix made when asked (pipefail).
    const worded = ['FROM debian:12 AS worded', 'RUN curl -fsSL https://e.org/a | sh', 'RUN wget -q https://e.org/b', 'CMD ["a"]', 'CMD ["b"]', ''];
    const base = [...lines.slice(0, typedAt), ...lines.slice(typedAt), ...worded].join('\n');
    const at = (text: string, line: number, insert: string) => {
      const all = text.split('\n');
      all.splice(line, 0, insert);
      return all.join('\n');
    };
    const edits: [string, string][] = [
      ['a line break', at(base, typedAt, '')],
      ['a typed instruction', at(base, typedAt, 'ENV TYPED=1')],
      ['two lines', at(base, typedAt, 'ENV A=1\nENV B=2')],
      ['a comment', at(base, typedAt, '# note')],
      ['a continued RUN', at(base, typedAt, 'RUN true \\\n  && false')],
      ['a FROM', at(base, typedAt, 'FROM alpine AS typed')],
      ['nothing (back)', base],
    ];

    it('equals a lint from scratch after each edit, quick fixes included', () => {
      let version = first(base);
      assert.ok(problemsOf(version).some((p) => p.code === 'CurlAndWget' && / on line \d+/.test(p.message)), 'a finding names a line');
      for (const [what, text] of edits) {
        version = next(version, text, true);
        assert.deepStrictEqual(shown(problemsOf(version)), shown(fresh(text)), what);
      }
    });

    it('checks only the stage typed into again after a line break, but for rules that name lines in their findings', () => {
      const v1 = next(first(base), base, true);
      const v2 = next(v1, at(base, typedAt, ''), true);
      const stages = v2.run.context.stages.length;
      // Stage 1 (typed into) by every rule; the last stage by the rules whose findings name lines there.
      assert.ok(v2.run.stageChecks.reused >= v2.run.stageChecks.run * (stages - 2), JSON.stringify(v2.run.stageChecks));
      assert.ok(v2.run.stageChecks.reused > 0);
    });
  });
});
