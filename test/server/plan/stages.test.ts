// The stage graph: bases, names, platforms, dependencies and what a target needs.
import * as assert from 'assert';
import { codes, plan } from './helpers';

const multi = `ARG GO=1.22
FROM golang:\${GO} AS build
RUN go build -o /app .
FROM build AS test
RUN go test ./...
FROM alpine:3.20 AS assets
RUN touch /assets
FROM scratch
COPY --from=build /app /app
RUN --mount=type=bind,from=assets,target=/a true
`;

describe('stage graph', () => {
  it('resolves bases: image references normalized, earlier stages, scratch', () => {
    const p = plan(multi);
    assert.deepStrictEqual(p.stages.map((s) => [s.index, s.name, s.base]), [
      [0, 'build', { kind: 'image', ref: 'docker.io/library/golang:1.22' }],
      [1, 'test', { kind: 'stage', stageIndex: 0, name: 'build' }],
      [2, 'assets', { kind: 'image', ref: 'docker.io/library/alpine:3.20' }],
      [3, undefined, { kind: 'scratch' }],
    ]);
    assert.deepStrictEqual(p.problems, []);
  });

  it('records dependencies from FROM, COPY --from and RUN --mount from=', () => {
    const p = plan(multi);
    assert.deepStrictEqual(p.stages[1].dependencies.map((d) => [d.stageIndex, d.via]), [[0, 'from']]);
    assert.deepStrictEqual(p.stages[3].dependencies.map((d) => [d.stageIndex, d.via, d.stepIndex]), [[0, 'copy', 1], [2, 'mount', 2]]);
  });

  it('marks what the default target (last stage) needs and what it does not', () => {
    const p = plan(multi);
    assert.strictEqual(p.targetStage, 3);
    assert.deepStrictEqual(p.stages.map((s) => s.reachable), [true, false, true, true]);
  });

  it('follows --target (case-insensitive) and reports an unknown one', () => {
    const p = plan(multi, { target: 'TEST' });
    assert.strictEqual(p.targetStage, 1);
    assert.deepStrictEqual(p.stages.map((s) => s.reachable), [true, true, false, false]);
    assert.deepStrictEqual(codes(plan(multi, { target: 'nope' })), ['unknown-target']);
  });

  it('resolves COPY --from by name, by index, or as an image', () => {
    const p = plan('FROM a AS one\nFROM b\nCOPY --from=0 /x /x\nCOPY --from=ONE /y /y\nCOPY --from=nginx:1.27 /z /z\n');
    const froms = p.stages[1].steps.slice(1).map((s) => (s.details.kind === 'copy' ? s.details.from : undefined));
    assert.deepStrictEqual(froms, [{ kind: 'stage', stageIndex: 0 }, { kind: 'stage', stageIndex: 0 }, { kind: 'image', ref: 'docker.io/library/nginx:1.27' }]);
  });

  it('refuses to copy from the current or a later stage, as BuildKit does', () => {
    const p = plan('FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\nCOPY --from=two /y /y\n');
    assert.deepStrictEqual(codes(p), ['stage-order', 'stage-order']);
    assert.match(p.problems[0].message, /cannot copy from stage "two", it needs to be defined before current stage "one"/);
  });

  it('does not let FROM refer to a stage by a differently-cased name (it is an image then)', () => {
    const p = plan('FROM alpine AS base\nFROM Base\n');
    assert.deepStrictEqual(codes(p), ['invalid-image-ref']);
  });

  it('expands FROM and --platform with global args only', () => {
    const p = plan('ARG IMG=debian\nARG TAG\nFROM --platform=$BUILDPLATFORM ${IMG}:${TAG:-12} AS b\n', { buildPlatform: 'linux/arm64', platform: 'linux/amd64' });
    assert.deepStrictEqual(p.stages[0].base, { kind: 'image', ref: 'docker.io/library/debian:12' });
    assert.strictEqual(p.stages[0].platform, 'linux/arm64');
    assert.deepStrictEqual(p.stages[0].steps[0].variables.map((v) => [v.name, v.value, v.source]), [
      ['IMG', 'debian', 'global-arg'], ['TAG', '', 'global-arg'], ['BUILDPLATFORM', 'linux/arm64', 'platform-arg'],
    ]);
  });

  it('reports a blank base, a bad platform and a bad reference where they are written', () => {
    assert.deepStrictEqual(codes(plan('ARG X\nFROM ${X}\n')), ['blank-base']);
    assert.deepStrictEqual(codes(plan('FROM --platform=linux/a/b/c alpine\n')), ['invalid-platform']);
    assert.deepStrictEqual(codes(plan('FROM Alpine:3\n')), ['invalid-image-ref']);
  });

  it('turns errors in stages the target does not need into warnings', () => {
    const p = plan('FROM a AS unused\nCOPY --chmod=999 x /y\nFROM b\n');
    assert.deepStrictEqual(p.problems.map((x) => [x.code, x.severity]), [['invalid-chmod', 'warning']]);
    assert.match(p.problems[0].message, /not needed for the target/);
  });

  it('gives each stage a range from FROM to its last instruction', () => {
    const p = plan('FROM a\nRUN x\n\nFROM b\nRUN y \\\n  z\n');
    assert.deepStrictEqual(p.stages.map((s) => [s.range.start.line, s.range.end.line]), [[0, 1], [3, 5]]);
  });
});
