// What each instruction becomes in the plan: argv, sources and destination, mounts, config.
import * as assert from 'assert';
import { codes, plan, stepsOf } from './helpers';

describe('planned steps', () => {
  it('runs shell form through the stage SHELL and exec form as written', () => {
    const p = plan('FROM a\nRUN echo $HOME\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN ls | wc -l\nRUN ["ls", "-l"]\n');
    assert.deepStrictEqual(stepsOf(p, 'RUN').map((s) => s.arguments), [
      ['/bin/sh', '-c', 'echo $HOME'],
      ['/bin/bash', '-o', 'pipefail', '-c', 'ls | wc -l'],
      ['ls', '-l'],
    ]);
  });

  it('feeds heredocs to RUN the way BuildKit does', () => {
    const p = plan('FROM a\nRUN <<EOF\necho hi\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN cat <<A > /f\nx\nA\n');
    const [plain, script, complex] = stepsOf(p, 'RUN');
    assert.deepStrictEqual(plain.arguments, ['/bin/sh', '-c', 'echo hi\n']);
    assert.deepStrictEqual(script.arguments, ['/bin/sh', '-c', '/dev/pipes/EOF']);
    assert.deepStrictEqual(complex.arguments, ['/bin/sh', '-c', 'cat <<A > /f\nx\nA']);
    assert.strictEqual(plain.display, 'RUN <<EOF (echo hi)');
  });

  it('expands and checks RUN --mount fields, with defaults', () => {
    const p = plan('FROM a AS deps\nFROM b\nARG CACHE=/root/.cache\nRUN --mount=type=cache,target=$CACHE,sharing=locked --mount=type=secret,id=npmrc --mount=from=deps,target=/d --mount=type=tmpfs,target=/t,size=64m x\n');
    const run = stepsOf(p, 'RUN')[0];
    assert.ok(run.details.kind === 'run');
    assert.deepStrictEqual(run.details.mounts.map(({ options, ...m }) => m), [
      { type: 'cache', target: '/root/.cache', sharing: 'locked', readOnly: false, id: '/root/.cache' },
      { type: 'secret', id: 'npmrc', readOnly: true, target: '/run/secrets/npmrc' },
      { type: 'bind', fromStage: 0, target: '/d', readOnly: true },
      { type: 'tmpfs', target: '/t', size: '64m', readOnly: false },
    ]);
    assert.deepStrictEqual(p.problems, []);
  });

  it('reports bad mounts, network and security modes where they are written', () => {
    const p = plan('FROM a\nRUN --mount=type=nfs,target=/x --mount=type=bind --mount=type=bind,target=/y,uid=1 --mount=target=/z,from=$X --network=bridge --security=root x\n');
    assert.deepStrictEqual(codes(p), ['invalid-mount', 'invalid-mount', 'invalid-mount', 'invalid-mount', 'invalid-network', 'invalid-security']);
    assert.match(p.problems[0].message, /unsupported mount type "nfs"/);
    assert.match(p.problems[3].message, /'from' doesn't support variable expansion/);
  });

  it('resolves COPY sources and destination against WORKDIR, keeping a trailing slash', () => {
    const p = plan('FROM a\nWORKDIR /app\nCOPY a b ./\nCOPY c sub/d\nCOPY e /abs/../etc/\nCOPY --chown=1:1 --chmod=640 f .\n');
    assert.deepStrictEqual(stepsOf(p, 'COPY').map((s) => s.arguments), [['a', 'b', '/app/'], ['c', '/app/sub/d'], ['e', '/etc/'], ['f', '/app/']]);
    const last = stepsOf(p, 'COPY')[3];
    assert.ok(last.details.kind === 'copy');
    assert.deepStrictEqual([last.details.chown, last.details.chmod], ['1:1', '640']);
  });

  it('expands COPY heredoc content when the delimiter is not quoted', () => {
    const p = plan('FROM a\nENV NAME=app\nCOPY <<EOF /one\nhello $NAME\nEOF\nCOPY <<"EOF" /two\nhello $NAME\nEOF\n');
    const [one, two] = stepsOf(p, 'COPY');
    assert.ok(one.details.kind === 'copy' && two.details.kind === 'copy');
    assert.deepStrictEqual([one.details.heredocs[0].content, two.details.heredocs[0].content], ['hello app\n', 'hello $NAME\n']);
  });

  it('applies ADD and COPY source rules', () => {
    assert.deepStrictEqual(codes(plan('FROM a\nCOPY https://x/y /y\n')), ['copy-url-source']);
    assert.deepStrictEqual(codes(plan('FROM a\nCOPY git@github.com:x/y.git /y\n')), ['copy-git-source']);
    assert.deepStrictEqual(codes(plan('FROM a\nADD --checksum=sha256:1 local.tar /y\n')), ['invalid-checksum']);
    assert.deepStrictEqual(codes(plan('FROM a\nADD --checksum=sha256:1 https://x/a https://x/b /y/\n')), ['invalid-checksum']);
    assert.deepStrictEqual(codes(plan('FROM a\nCOPY --chmod=8 x /y\n')), ['invalid-chmod']);
    const add = stepsOf(plan('FROM a\nADD --checksum=sha256:1 https://x/a.tgz /y\n'), 'ADD')[0];
    assert.deepStrictEqual(add.cacheKeyInputs.sources, [{ path: 'https://x/a.tgz', checksum: 'url:sha256:1' }]);
  });

  it('checks EXPOSE ports and STOPSIGNAL after expansion', () => {
    const p = plan('FROM a\nARG PORTS="80 443/udp"\nEXPOSE $PORTS 8000-8010/tcp\nEXPOSE http\nSTOPSIGNAL SIGWINCH\nSTOPSIGNAL NOPE\n');
    assert.deepStrictEqual(stepsOf(p, 'EXPOSE')[0].arguments, ['80', '443/udp', '8000-8010/tcp']);
    assert.deepStrictEqual(codes(p), ['invalid-port', 'invalid-signal']);
  });

  it('resolves WORKDIR relative to the previous one', () => {
    const p = plan('FROM a\nWORKDIR /a\nWORKDIR b/c\nWORKDIR ../d/\n');
    assert.deepStrictEqual(stepsOf(p, 'WORKDIR').map((s) => s.arguments[0]), ['/a', '/a/b/c', '/a/b/d']);
  });

  it('folds the final image config of each stage', () => {
    const p = plan('FROM a AS base\nENV A=1\nLABEL l=1\nCMD ["serve"]\nEXPOSE 80\nFROM base\nENTRYPOINT ["app"]\nUSER 1000\nVOLUME /data\nHEALTHCHECK --interval=5s CMD true\nONBUILD RUN x\n');
    const [base, final] = p.stages.map((s) => s.config);
    assert.deepStrictEqual(base.cmd, ['serve']);
    assert.strictEqual(final.cmd, undefined, 'ENTRYPOINT clears an inherited CMD');
    assert.deepStrictEqual([final.entrypoint, final.env.A, final.labels, final.exposedPorts, final.volumes, final.user], [['app'], '1', { l: '1' }, ['80'], ['/data'], '1000']);
    assert.deepStrictEqual([final.healthcheck?.test, final.healthcheck?.interval, final.onbuild], [['CMD-SHELL', 'true'], '5s', ['RUN x']]);
  });
});
