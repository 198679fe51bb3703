import * as assert from 'assert';
import { parseCheckDirective } from '../../../server/rules/checkDirective';
import { canonicalCode } from '../../../server/rules/registry';
import { codes, lint, only } from './lintText';

const BAD = 'FROM alpine:3.20 AS Build\nRUN apt-get install -y curl\nRUN apt-get install -y git\n';

describe('rules: suppression and severity', () => {
  it('parses # check= like BuildKit', () => {
    const ok = parseCheckDirective('skip=A, B;error=true;experimental=all');
    assert.deepStrictEqual([...ok.config.skip], ['A', 'B']);
    assert.strictEqual(ok.config.error, true);
    assert.strictEqual(ok.config.experimentalAll, true);
    assert.match(parseCheckDirective('nope').error ?? '', /invalid check option "nope"/);
    assert.match(parseCheckDirective('error=maybe').error ?? '', /failed to parse check option/);
  });

  it('# check=skip removes BuildKit checks; error=true makes them errors (best practices unchanged)', () => {
    const problems = lint('# check=error=true\n' + BAD);
    assert.strictEqual(only(problems, 'StageNameCasing')[0].severity, 'error');
    assert.strictEqual(only(problems, 'AptPinVersions')[0].severity, 'warning');
    assert.deepStrictEqual(only(lint('# check=skip=StageNameCasing\n' + BAD), 'StageNameCasing'), []);
    assert.deepStrictEqual(only(lint('# check=skip=all\n' + BAD), 'StageNameCasing'), []);
    assert.strictEqual(only(lint('# check=skip=all\n' + BAD), 'AptPinVersions').length, 2);
  });

  it('reports an invalid # check= directive as an error on its value', () => {
    const [p] = only(lint('# check=skip=A;bogus\nFROM alpine:3.20\n'), 'invalid-check-directive');
    assert.strictEqual(p.severity, 'error');
    assert.deepStrictEqual(p.range.start, { line: 0, character: 8 });
  });

  it('BUILDKIT_DOCKERFILE_CHECK from the build arguments replaces the directive', () => {
    const problems = lint('# check=error=true\n' + BAD, { buildArgs: { BUILDKIT_DOCKERFILE_CHECK: 'skip=StageNameCasing' } });
    assert.deepStrictEqual(only(problems, 'StageNameCasing'), []);
  });

  it('# hadolint ignore= suppresses the mapped rule for the next instruction only', () => {
    const t = 'FROM alpine:3.20 AS build\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\nRUN apt-get install -y git\n';
    assert.deepStrictEqual(only(lint(t), 'AptPinVersions').map((p) => p.range.start.line), [3]);
    assert.deepStrictEqual(only(lint(t), 'AptNoInstallRecommends').map((p) => p.range.start.line), [3]);
  });

  it('# hadolint global ignore= and # layerlens ignore= work for every code kind', () => {
    const t = '# hadolint global ignore=DL3008\nFROM alpine:3.20 AS Build\n# layerlens ignore=AptNoInstallRecommends\nRUN apt-get install -y curl\n';
    const problems = lint(t);
    assert.deepStrictEqual(only(problems, 'AptPinVersions'), []);
    assert.deepStrictEqual(only(problems, 'AptNoInstallRecommends'), []);
    assert.strictEqual(only(problems, 'StageNameCasing').length, 1);
  });

  it('settings set severities by our code, BuildKit name or hadolint code, and switch rules off', () => {
    const problems = lint(BAD, {}, { severity: { DL3008: 'off', StageNameCasing: 'error', AptNoInstallRecommends: 'hint' } });
    assert.deepStrictEqual(only(problems, 'AptPinVersions'), []);
    assert.strictEqual(only(problems, 'StageNameCasing')[0].severity, 'error');
    assert.strictEqual(only(problems, 'AptNoInstallRecommends')[0].severity, 'hint');
  });

  it('settings also govern shellcheck codes and parser codes', () => {
    const extra = [{ code: 'SC2086', range: { start: { line: 1, character: 4 }, end: { line: 1, character: 6 } }, message: 'quote', severity: 'information' as const, source: 'shellcheck' as const, instructionIndex: 1 }];
    assert.strictEqual(only(lint(BAD, {}, {}, extra), 'SC2086').length, 1);
    assert.deepStrictEqual(only(lint(BAD, {}, { severity: { SC2086: 'off' } }, extra), 'SC2086'), []);
    assert.deepStrictEqual(only(lint('# hadolint global ignore=SC2086\n' + BAD, {}, {}, extra.map((e) => ({ ...e, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 6 } }, instructionIndex: 1 }))), 'SC2086'), []);
  });

  it('reads pragmas written in any case among other comments, and none from comments that only mention them', () => {
    const suppressed = (pragma: string) => only(lint(`# build\n${pragma}\n${BAD.replace('\nRUN', '\n# a note\nRUN')}`), 'AptNoInstallRecommends').length;
    assert.strictEqual(suppressed('# a comment'), 2);
    assert.strictEqual(suppressed('# HADOLINT global ignore=DL3015'), 0);
    assert.strictEqual(suppressed('# Layerlens global ignore=AptNoInstallRecommends'), 0);
    assert.strictEqual(suppressed('# see hadolint global ignore=DL3015'), 2);
  });

  it('maps hadolint codes onto ours', () => {
    assert.strictEqual(canonicalCode('DL3008'), 'AptPinVersions');
    assert.strictEqual(canonicalCode('dl4003'), 'MultipleInstructionsDisallowed');
    assert.strictEqual(canonicalCode('DL3025'), 'JSONArgsRecommended');
    assert.strictEqual(canonicalCode('Whatever'), 'Whatever');
  });

  it('a fatal parse error does not hide the other diagnostics', () => {
    const t = 'FROM alpine:3.20 AS Build\nRUN apt-get install -y curl\nRUN <<EOF\necho never closed\n';
    const all = codes(lint(t));
    assert.ok(all.some((c) => c !== 'StageNameCasing' && c !== 'AptPinVersions'), all.join());
    assert.ok(all.includes('StageNameCasing'), all.join());
    assert.ok(all.includes('AptPinVersions'), all.join());
  });

  it('never reports one problem twice', () => {
    const problems = lint(BAD + 'RUN echo a && \\\n\n    echo b\n');
    const keys = problems.map((p) => `${p.code}@${p.range.start.line}:${p.range.start.character}`);
    assert.deepStrictEqual(keys, [...new Set(keys)]);
  });
});
