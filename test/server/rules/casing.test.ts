import * as assert from 'assert';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { planDockerfile, type LayerPlan } from '../../../server/plan';
import { collectProblems, runRules, upstreamFindings, type LintProblem, type RuleRun } from '../../../server/rules/lintDocument';
import { fixOnce, lint, only, textAt } from './lintText';

describe('rules: BuildKit casing checks', () => {
  describe('StageNameCasing', () => {
    it('reports an upper-case stage name at the name, with a fix to lower case', () => {
      const text = 'FROM alpine:3.20 AS Builder\nRUN true\n';
      const [p] = only(lint(text), 'StageNameCasing');
      assert.ok(p);
      assert.strictEqual(p.message, "Stage name 'Builder' should be lowercase");
      assert.strictEqual(textAt(text, p.range), 'Builder');
      assert.strictEqual(fixOnce(text, 'StageNameCasing'), 'FROM alpine:3.20 AS builder\nRUN true\n');
    });
    it('accepts lower-case names and unnamed stages', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20 AS builder\nFROM alpine:3.20\n'), 'StageNameCasing'), []);
    });
  });

  describe('FromAsCasing', () => {
    it("reports 'as' after 'FROM' and fixes it to 'AS'", () => {
      const text = 'FROM alpine:3.20 as build\n';
      const [p] = only(lint(text), 'FromAsCasing');
      assert.strictEqual(p.message, "'as' and 'FROM' keywords' casing do not match");
      assert.strictEqual(textAt(text, p.range), 'as');
      assert.strictEqual(fixOnce(text, 'FromAsCasing'), 'FROM alpine:3.20 AS build\n');
    });
    it('accepts matching case and leaves mixed-case FROM to ConsistentInstructionCasing', () => {
      assert.deepStrictEqual(only(lint('from alpine:3.20 as build\nFROM alpine:3.20 AS b2\nFrom alpine:3.20 as b3\n'), 'FromAsCasing'), []);
    });
  });

  describe('ConsistentInstructionCasing', () => {
    it('reports instructions against the majority casing, at the keyword', () => {
      const text = 'FROM alpine:3.20\nRUN true\nrun echo\nCOPY a /a\n';
      const found = only(lint(text), 'ConsistentInstructionCasing');
      assert.strictEqual(found.length, 1);
      assert.strictEqual(found[0].message, "Command 'run' should match the case of the command majority (uppercase)");
      assert.deepStrictEqual(found[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
      assert.strictEqual(fixOnce(text, 'ConsistentInstructionCasing'), 'FROM alpine:3.20\nRUN true\nRUN echo\nCOPY a /a\n');
    });
    it('follows a lower-case majority and flags mixed case', () => {
      const found = only(lint('from alpine:3.20\nrun true\nRun echo\n'), 'ConsistentInstructionCasing');
      assert.deepStrictEqual(found.map((p) => p.message), ["Command 'Run' should match the case of the command majority (lowercase)"]);
    });
    it('is quiet for a consistent file (global ARGs are not counted)', () => {
      assert.deepStrictEqual(only(lint('arg X=1\nFROM alpine:3.20\nRUN true\n'), 'ConsistentInstructionCasing'), []);
    });
    it('after edits that keep, then turn the majority, equals a lint from scratch (unchanged stages are counted once)', () => {
      const stage = (n: number, run: string) => `FROM alpine:3.20 AS s${n}\n${run} true\nCOPY a /a\n${run} echo ${n}\n${run} echo\nWorkdir /w\n`;
      const versions = [
        [stage(0, 'run'), stage(1, 'RUN'), stage(2, 'RUN')],
        [stage(0, 'run'), stage(1, 'run'), stage(2, 'RUN')],
        [stage(0, 'run'), stage(1, 'run'), stage(2, 'run')],
        [stage(0, 'RUN'), stage(1, 'run'), stage(2, 'run')],
      ].map((stages) => stages.join(''));
      let before: { text: string; syntax: DockerfileSyntax; plan: LayerPlan; run: RuleRun } | undefined;
      const majorities: string[] = [];
      for (const text of versions) {
        const syntax = parseDockerfile(text, before && { previous: { text: before.text, syntax: before.syntax } });
        const plan = planDockerfile(syntax, before && { previous: before.plan });
        const run = runRules({ syntax, plan }, {}, {}, undefined, before?.run);
        const shown = (problems: LintProblem[]) => JSON.stringify(only(problems, 'ConsistentInstructionCasing').map((p) => ({ ...p, fixes: p.fixes })));
        const incremental = collectProblems(run, upstreamFindings({ syntax, plan }));
        assert.strictEqual(shown(incremental), shown(lint(text)));
        majorities.push(only(incremental, 'ConsistentInstructionCasing')[0]?.message.replace(/.*\((\w+)\)$/, '$1') ?? 'none');
        before = { text, syntax, plan, run };
      }
      assert.deepStrictEqual(majorities, ['uppercase', 'uppercase', 'lowercase', 'uppercase']);
    });
  });
});
