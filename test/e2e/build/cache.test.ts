// The build cache: a rebuild with nothing changed is all cached; changing one file re-runs only
// the steps that depend on it; the cache is shared between Dockerfiles, --no-cache ignores it,
// --prune-cache empties it, and measured sizes are recorded by the plan's cache keys.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readMeasuredSizes } from '../../../runner/build/measuredSizes';
import { assertBuilt, buildOk, cli, cliOk, finishedSteps, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const DOCKERFILE = `FROM busybox:e2e
ENV STAGE=one
COPY a.txt /a.txt
RUN cat /a.txt > /a-copy
COPY b.txt /b.txt
RUN cat /b.txt > /b-copy
CMD ["cat", "/b-copy"]
`;

describe('build: cache (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-cache-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'a.txt': 'a1\n', 'b.txt': 'b1\n' });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('reports every step cached on a rebuild with nothing changed', async () => {
    const first = await buildOk(['-t', 'cached:1', ctx], { store });
    assert.ok(finishedSteps(first).every((s) => !s.cached));
    const again = await buildOk(['-t', 'cached:1', ctx], { store });
    const steps = finishedSteps(again);
    assert.strictEqual(steps.length, 6);
    assert.ok(steps.every((s) => s.cached), JSON.stringify(steps));
    const done = stepEvents(again, 'build-finished')[0];
    assert.strictEqual(done.cachedSteps, done.steps);
    // Timing is the benchmark's job; this only catches a rebuild that does real work.
    assert.ok(done.durationMs < 5000, `${done.durationMs} ms`);
  });

  it('re-runs only the steps after a changed file', async () => {
    fs.writeFileSync(path.join(ctx, 'b.txt'), 'b2\n');
    const r = await buildOk(['-t', 'cached:1', ctx], { store });
    const cached = Object.fromEntries(finishedSteps(r).map((s) => [s.display, s.cached]));
    assert.deepStrictEqual(cached, {
      'ENV STAGE=one': true,
      'COPY a.txt /a.txt': true,
      'RUN cat /a.txt > /a-copy': true,
      'COPY b.txt /b.txt': false,
      'RUN cat /b.txt > /b-copy': false,
      'CMD ["cat", "/b-copy"]': false,
    });
    assert.strictEqual(await cliOk(['run', '--rm', 'cached:1'], { store }), 'b2\n');
  });

  it('is shared between Dockerfiles and survives restarts (every build is a new process)', async () => {
    writeTree(ctx, { 'Other.Dockerfile': 'FROM busybox:e2e\nENV STAGE=one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /a-copy\nRUN echo other > /other\n' });
    const r = await buildOk(['-f', path.join(ctx, 'Other.Dockerfile'), ctx], { store });
    const cached = Object.fromEntries(finishedSteps(r).map((s) => [s.display, s.cached]));
    assert.deepStrictEqual(cached, { 'ENV STAGE=one': true, 'COPY a.txt /a.txt': true, 'RUN cat /a.txt > /a-copy': true, 'RUN echo other > /other': false });
  });

  it('--no-cache runs everything; build args that a RUN sees change its key', async () => {
    const r = await buildOk(['--no-cache', ctx], { store });
    assert.ok(finishedSteps(r).every((s) => !s.cached));
    writeTree(ctx, { 'Args.Dockerfile': 'FROM busybox:e2e\nARG FLAVOUR=plain\nRUN echo $FLAVOUR > /flavour\n' });
    const plain = await buildOk(['-f', path.join(ctx, 'Args.Dockerfile'), ctx], { store });
    const spicy = await buildOk(['-f', path.join(ctx, 'Args.Dockerfile'), '--build-arg', 'FLAVOUR=spicy', ctx], { store });
    const again = await buildOk(['-f', path.join(ctx, 'Args.Dockerfile'), '--build-arg', 'FLAVOUR=spicy', ctx], { store });
    const run = (b: typeof plain) => finishedSteps(b).find((s) => s.display.startsWith('RUN'))?.cached;
    assert.deepStrictEqual([run(plain), run(spicy), run(again)], [false, false, true]);
  });

  it('records measured layer sizes by the plan\'s cache key', async () => {
    const r = await buildOk(['-t', 'cached:1', ctx], { store });
    const sizes = await readMeasuredSizes(store);
    const finished = stepEvents(r, 'step-finished').filter((e) => e.layer);
    assert.ok(finished.length >= 4);
    for (const e of finished) assert.strictEqual(sizes.measuredBytes(e.cacheKey), e.layer?.bytes);
    assert.strictEqual(sizes.measuredBytes('0'.repeat(64)), undefined);
  });

  it('rmi and prune keep the layers the build cache refers to: the rebuild is all cached', async () => {
    const first = await buildOk(['-t', 'gc:1', ctx], { store });
    await cliOk(['rmi', 'gc:1'], { store });
    const pruned = await cliOk(['prune', '--keep-build-cache'], { store });
    assert.doesNotMatch(pruned, /Build cache:/);
    const again = await buildOk(['-t', 'gc:1', ctx], { store });
    assert.ok(finishedSteps(again).every((s) => s.cached), JSON.stringify(finishedSteps(again)));
    const layers = (r: typeof first) => stepEvents(r, 'step-finished').map((st) => st.layer?.diffId);
    assert.deepStrictEqual(layers(again), layers(first));
    assert.strictEqual((await cli(['fsck'], { store })).code, 0);
  });

  it('prune clears the build cache too and says what each part freed', async () => {
    await cliOk(['rmi', 'gc:1'], { store });
    const out = await cliOk(['prune'], { store });
    assert.match(out, /^Images: removed \d+ untagged images, \d+ blobs, \d+ unpacked layers, \d+ temporary files; reclaimed /m);
    assert.match(out, /^Build cache: removed [1-9]\d* entries, \d+ cache mounts, [1-9]\d* blobs, [1-9]\d* unpacked layers; reclaimed [0-9.]+[kMG]?B$/m);
    assert.match(out, /^Total reclaimed: /m);
    const r = await buildOk([ctx], { store });
    assert.ok(finishedSteps(r).every((s) => !s.cached));
  });

  it('--prune-cache empties the cache and frees the layers only it used', async () => {
    const out = await cliOk(['build', '--prune-cache'], { store });
    assert.match(out, /removed [1-9]\d* build cache entries, \d+ cache mounts and \d+ layers only the cache used; reclaimed/);
    const r = await buildOk([ctx], { store });
    assert.ok(finishedSteps(r).every((s) => !s.cached));
  });
});
