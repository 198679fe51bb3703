// ARG and ENV scoping as BuildKit applies it, and the variables each step resolved.
import * as assert from 'assert';
import { codes, plan, stepsOf } from './helpers';

describe('variables', () => {
  it('makes global args visible in FROM only, unless re-declared in the stage', () => {
    const p = plan('ARG V=1\nFROM a\nRUN echo $V\nARG V\nRUN echo $V\n');
    const [first, second] = stepsOf(p, 'RUN');
    assert.deepStrictEqual(first.variables.map((v) => [v.name, v.set, v.expandedBy]), [['V', false, 'shell']]);
    assert.strictEqual(first.args.V, undefined);
    assert.deepStrictEqual(second.args, { V: '1' });
    assert.ok(second.cacheKeyInputs.env.includes('V=1'));
  });

  it('lets --build-arg override defaults without expanding the given value', () => {
    const p = plan('ARG G=x\nFROM a\nARG A=default B=$A\nRUN true\n', { buildArgs: { A: '$HOME', G: 'y' } });
    const run = stepsOf(p, 'RUN')[0];
    assert.deepStrictEqual(run.args, { A: '$HOME', B: '$HOME' });
    assert.deepStrictEqual(p.globalArgs.map((g) => [g.name, g.value]), [['G', 'y']]);
  });

  it('warns about build args no ARG consumed', () => {
    assert.deepStrictEqual(codes(plan('FROM a\n', { buildArgs: { NOPE: '1', HTTP_PROXY: 'x', TARGETARCH: 'arm64' } })), ['unused-build-arg']);
  });

  it('expands one ENV instruction with the values from before it', () => {
    const p = plan('FROM a\nENV A=1\nENV A=2 B=$A\nRUN true\n');
    const run = stepsOf(p, 'RUN')[0];
    assert.strictEqual(run.env.A, '2');
    assert.strictEqual(run.env.B, '1');
  });

  it('expands ARG defaults left to right within one instruction', () => {
    const run = stepsOf(plan('FROM a\nARG A=1 B=${A}2\nRUN true\n'), 'RUN')[0];
    assert.deepStrictEqual(run.args, { A: '1', B: '12' });
  });

  it('gives platform args to ARG declarations without default', () => {
    const run = stepsOf(plan('FROM a\nARG TARGETARCH TARGETPLATFORM BUILDOS\nRUN true\n', { platform: 'linux/arm64/v8', buildPlatform: 'linux/amd64' }), 'RUN')[0];
    assert.deepStrictEqual(run.args, { TARGETARCH: 'arm64', TARGETPLATFORM: 'linux/arm64', BUILDOS: 'linux' });
  });

  it('lets a stage built on another stage inherit its ENV, ARGs, WORKDIR, USER and SHELL', () => {
    const p = plan('FROM a AS base\nARG X=1\nENV E=2\nWORKDIR /w\nUSER u\nSHELL ["/bin/bash", "-c"]\nFROM base\nRUN echo\n');
    const run = stepsOf(p, 'RUN')[0];
    assert.deepStrictEqual([run.args.X, run.env.E, run.workdir, run.user, run.shell], ['1', '2', '/w', 'u', ['/bin/bash', '-c']]);
  });

  it('records every variable use with its range, value and source', () => {
    const text = 'FROM a\nARG VER=1.2\nENV HOME=/root\nCOPY app-${VER}.tgz $HOME/ \nWORKDIR ${MISSING:-/opt}\n';
    const p = plan(text);
    const copy = stepsOf(p, 'COPY')[0];
    assert.deepStrictEqual(copy.variables.map((v) => [v.name, v.value, v.source, v.range.start.line, v.range.start.character, v.range.end.character]), [
      ['VER', '1.2', 'arg', 3, 9, 15], ['HOME', '/root', 'env', 3, 20, 25],
    ]);
    const workdir = stepsOf(p, 'WORKDIR')[0];
    assert.deepStrictEqual(workdir.variables.map((v) => [v.name, v.set, v.modifier]), [['MISSING', false, ':-']]);
    assert.deepStrictEqual(workdir.arguments, ['/opt']);
  });

  it('reports expansion errors at the word', () => {
    const p = plan('FROM a\nENV A=${B:?required}\n');
    assert.deepStrictEqual(codes(p), ['expansion-error']);
    assert.match(p.problems[0].message, /B: required/);
    assert.strictEqual(p.problems[0].range.start.character, 6);
  });

  it('starts every stage with PATH and seeds ENV, WORKDIR, USER from a known base image config', () => {
    const images = { digest: () => undefined, config: () => ({ env: ['PATH=/custom', 'LANG=C'], workingDir: '/srv', user: 'app' }) };
    const p = plan('FROM a\nRUN true\nFROM scratch\nRUN true\n', { images });
    const [fromImage, fromScratch] = stepsOf(p, 'RUN');
    assert.deepStrictEqual([fromImage.env, fromImage.workdir, fromImage.user], [{ PATH: '/custom', LANG: 'C' }, '/srv', 'app']);
    assert.deepStrictEqual(fromScratch.env, { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
  });
});
