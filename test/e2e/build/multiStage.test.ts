// Multi-stage builds: only the stages the target needs, independent stages at the same time,
// COPY --from stages and images, bind mounts from a stage, ONBUILD triggers of a base stage and
// of a base image.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, buildOk, image, imageFiles, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const DOCKERFILE = `FROM busybox:e2e AS base
RUN echo base > /base.txt
ONBUILD RUN echo triggered > /onbuild.txt

FROM busybox:e2e AS left
RUN sleep 1 && echo left > /left.txt

FROM busybox:e2e AS right
RUN sleep 1 && echo right > /right.txt

FROM busybox:e2e AS unused
RUN echo never > /never.txt

FROM base AS final
COPY --from=left /left.txt /from-left.txt
COPY --from=right /right.txt /from-right.txt
RUN --mount=type=bind,from=left,source=/,target=/mnt/left cat /mnt/left/left.txt > /mounted.txt
COPY --from=busybox:e2e /bin/busybox /copied-busybox
`;

describe('build: multi-stage (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  let ctx: string;
  let result: Awaited<ReturnType<typeof buildOk>>;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-multi-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE });
    result = await buildOk(['-t', 'multi:1', ctx], { store });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('builds only the stages the target needs', () => {
    const started = stepEvents(result, 'stage-started').map((e) => e.name);
    assert.deepStrictEqual([...started].sort(), ['base', 'final', 'left', 'right']);
    assert.deepStrictEqual(stepEvents(result, 'build-started')[0].stages.map((s) => s.name), ['base', 'left', 'right', 'final']);
  });

  it('runs independent stages at the same time', () => {
    const span = (line: string) => {
      const start = stepEvents(result, 'step-started').find((e) => e.display.includes(line));
      const end = stepEvents(result, 'step-finished').find((e) => start && e.stage === start.stage && e.step === start.step);
      assert.ok(start && end, line);
      return [start.time, end.time];
    };
    const [leftStart, leftEnd] = span('echo left');
    const [rightStart, rightEnd] = span('echo right');
    assert.ok(leftStart < rightEnd && rightStart < leftEnd, `left ${leftStart}-${leftEnd} and right ${rightStart}-${rightEnd} overlap`);
  });

  it('copies from stages and images, mounts a stage, and runs the base stage\'s ONBUILD trigger', async () => {
    const files = await imageFiles(store, 'multi:1');
    const read = (p: string) => files.readFile(p)?.toString();
    assert.strictEqual(read('/base.txt'), 'base\n');
    assert.strictEqual(read('/onbuild.txt'), 'triggered\n');
    assert.strictEqual(read('/from-left.txt'), 'left\n');
    assert.strictEqual(read('/from-right.txt'), 'right\n');
    assert.strictEqual(read('/mounted.txt'), 'left\n');
    assert.strictEqual(files.lookup('/mnt/left'), undefined, 'the mount point is not in the layer');
    assert.strictEqual(files.lookup('/never.txt'), undefined);
    assert.strictEqual(files.lookup('/copied-busybox')?.stat.size, fs.statSync('/bin/busybox').size);
    const trigger = stepEvents(result, 'step-started').find((e) => e.onbuild);
    assert.ok(trigger, 'the trigger step is reported as ONBUILD');
    assert.strictEqual(trigger.range.start.line, 13, 'located at the FROM that triggered it');
    const img = await image(store, 'multi:1');
    assert.strictEqual(img.config.config?.OnBuild, undefined, 'triggers are not inherited');
  });

  it('--target builds one stage; an image with ONBUILD triggers them when used as a base', async () => {
    const left = await buildOk(['-t', 'left:1', '--target', 'left', ctx], { store });
    assert.deepStrictEqual(stepEvents(left, 'stage-started').map((e) => e.name), ['left']);
    await buildOk(['-t', 'with-trigger:1', '--target', 'base', ctx], { store });
    assert.deepStrictEqual((await image(store, 'with-trigger:1')).config.config?.OnBuild, ['RUN echo triggered > /onbuild.txt']);
    const child = writeTree(path.join(work, 'child'), { Dockerfile: 'FROM with-trigger:1\nRUN cat /onbuild.txt > /seen.txt\n' });
    const r = await buildOk(['-t', 'child:1', child], { store });
    assert.ok(stepEvents(r, 'step-started').some((e) => e.onbuild && e.display === 'RUN echo triggered > /onbuild.txt'));
    const files = await imageFiles(store, 'child:1');
    assert.strictEqual(files.readFile('/seen.txt')?.toString(), 'triggered\n');
  });
});
