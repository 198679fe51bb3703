import * as assert from 'assert';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { applyConfigStep, exposedPorts, formatGoDuration, imageConfigOf, runCreatedBy, startImageState } from '../../../runner/build/imageConfig';

function stateAfter(text: string, base?: Parameters<typeof startImageState>[0]) {
  const plan = planDockerfile(parseDockerfile(text), { buildArgs: { VERSION: '2' } });
  const stage = plan.stages[plan.targetStage];
  const state = startImageState(base, { os: 'linux', architecture: 'amd64' });
  for (const step of stage.steps.slice(1)) if (!step.createsLayer) applyConfigStep(state, step, '2000-01-01T00:00:00Z');
  return { state, stage };
}

describe('image config and history', () => {
  it('writes every metadata instruction as BuildKit does', () => {
    const { state } = stateAfter([
      'FROM scratch',
      'ARG VERSION=1',
      'ENV A=1 B="two words"',
      'ENV A=3',
      'LABEL org.example.v=$VERSION',
      'EXPOSE 80 53/udp 8000-8002',
      'VOLUME ["/data"]',
      'USER app:app',
      'SHELL ["/bin/bash", "-c"]',
      'STOPSIGNAL SIGQUIT',
      'HEALTHCHECK --interval=30s --timeout=1m30s --retries=3 CMD curl -f http://localhost/',
      'ONBUILD RUN echo triggered',
      'MAINTAINER someone',
      'ENTRYPOINT ["/app"]',
      'CMD serve --port 80',
    ].join('\n'));
    const config = imageConfigOf(state, [], '2000-01-01T00:00:00Z');
    assert.deepStrictEqual(config.config?.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=3', 'B=two words']);
    assert.deepStrictEqual(config.config?.Labels, { 'org.example.v': '2' });
    assert.deepStrictEqual(Object.keys(config.config?.ExposedPorts ?? {}), ['53/udp', '80/tcp', '8000/tcp', '8001/tcp', '8002/tcp']);
    assert.deepStrictEqual(config.config?.Volumes, { '/data': {} });
    assert.strictEqual(config.config?.User, 'app:app');
    assert.deepStrictEqual(config.config?.Shell, ['/bin/bash', '-c']);
    assert.strictEqual(config.config?.StopSignal, 'SIGQUIT');
    assert.deepStrictEqual(config.config?.Healthcheck, { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 30e9, Timeout: 90e9, Retries: 3 });
    assert.deepStrictEqual(config.config?.OnBuild, ['RUN echo triggered']);
    assert.strictEqual(config.author, 'someone');
    assert.deepStrictEqual(config.config?.Entrypoint, ['/app']);
    assert.deepStrictEqual(config.config?.Cmd, ['/bin/bash', '-c', 'serve --port 80'], 'CMD shell form uses the SHELL');
    assert.strictEqual(config.config?.ArgsEscaped, true);
    const history = (config.history ?? []).map((h) => h.created_by);
    assert.deepStrictEqual(history, [
      'ARG VERSION=2',
      'ENV A=1 B=two words',
      'ENV A=3',
      'LABEL org.example.v=2',
      'EXPOSE [80/tcp 53/udp 8000/tcp 8001/tcp 8002/tcp]',
      'VOLUME [/data]',
      'USER app:app',
      'SHELL [/bin/bash -c]',
      'STOPSIGNAL SIGQUIT',
      'HEALTHCHECK {Test:[CMD-SHELL curl -f http://localhost/] Interval:30s Timeout:1m30s StartPeriod:0s StartInterval:0s Retries:3}',
      'MAINTAINER someone',
      'ENTRYPOINT ["/app"]',
      'CMD ["/bin/bash" "-c" "serve --port 80"]',
    ]);
    assert.ok((config.history ?? []).every((h) => h.empty_layer === true && h.comment === 'buildkit.dockerfile.v0'));
  });

  it('ENTRYPOINT drops an inherited CMD, base ONBUILD is not inherited, base env is kept in order', () => {
    const { state } = stateAfter('FROM scratch\nENV PATH=/x\nENTRYPOINT ["/bin/tool"]', { config: { Env: ['PATH=/bin', 'HOME=/root'], Cmd: ['sh'], OnBuild: ['RUN x'] } });
    const config = imageConfigOf(state, [], 't');
    assert.strictEqual(config.config?.Cmd, undefined);
    assert.strictEqual(config.config?.OnBuild, undefined);
    assert.deepStrictEqual(config.config?.Env, ['PATH=/x', 'HOME=/root']);
  });

  it('records RUN with the declared build args first', () => {
    const plan = planDockerfile(parseDockerfile('FROM scratch\nARG A=1\nARG B\nRUN make'), { buildArgs: { B: 'b' } });
    const run = plan.stages[0].steps[3];
    assert.strictEqual(runCreatedBy(run, run.details.kind === 'run' ? run.details.argv : []), 'RUN |2 A=1 B=b /bin/sh -c make # buildkit');
    const plain = planDockerfile(parseDockerfile('FROM scratch\nRUN ["echo", "hi"]')).stages[0].steps[1];
    assert.strictEqual(runCreatedBy(plain, ['echo', 'hi']), 'RUN echo hi # buildkit');
  });

  it('formats durations and port specs like Go', () => {
    assert.deepStrictEqual([0, 1.5e9, 90e9, 3725e9, 500e6].map(formatGoDuration), ['0s', '1.5s', '1m30s', '1h2m5s', '500ms']);
    assert.deepStrictEqual(exposedPorts('127.0.0.1:8080:80/UDP'), ['80/udp']);
    assert.deepStrictEqual(exposedPorts('bad'), []);
  });
});
