// SOURCE_DATE_EPOCH: the same inputs give the same image digest, bit for bit, whether built
// again without the cache, in another store, or after the context's files were touched.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, buildOk, image, layerTars, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const EPOCH = 1_700_000_000;

const DOCKERFILE = `FROM busybox:e2e AS tools
RUN echo tool > /tool

FROM busybox:e2e
COPY . /src/
COPY --from=tools /tool /usr/local/bin/tool
WORKDIR /work
RUN echo built > built.txt && touch /stamp && rm /bin/vi
LABEL built=yes
`;

describe('build: reproducible digests with SOURCE_DATE_EPOCH (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let storeA: string;
  let storeB: string;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-repro-');
    storeA = await storeWithBusybox(work);
    storeB = path.join(work, 'store-b');
    execFileSync('cp', ['-a', storeA, storeB]); // the same base image in a second store
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'app/main.sh': 'echo main\n', 'README': 'readme\n' });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gives the same manifest digest every time', async () => {
    const env = { SOURCE_DATE_EPOCH: String(EPOCH) };
    const one = await buildOk(['--no-cache', '-t', 'repro:1', ctx], { store: storeA, env });
    const later = new Date();
    for (const f of ['app/main.sh', 'README']) fs.utimesSync(path.join(ctx, f), later, later);
    const two = await buildOk(['--no-cache', '-t', 'repro:2', ctx], { store: storeA, env });
    const three = await buildOk(['-t', 'repro:3', '--build-arg', `SOURCE_DATE_EPOCH=${EPOCH}`, ctx], { store: storeB });
    const digest = (r: typeof one) => stepEvents(r, 'build-finished')[0].manifestDigest;
    assert.strictEqual(digest(one), digest(two));
    assert.strictEqual(digest(one), digest(three));
    const img = await image(storeA, 'repro:1');
    assert.strictEqual(img.config.created, new Date(EPOCH * 1000).toISOString());
    assert.ok((img.config.history ?? []).slice(1).every((h) => h.created === img.config.created));
  });

  it('clamps every file time in the new layers, and differs without the epoch', async () => {
    const tars = await layerTars(storeA, 'repro:1');
    const ours = tars.slice(1);
    for (const tar of ours) {
      const file = path.join(work, 'layer.tar');
      fs.writeFileSync(file, tar);
      const listing = execFileSync('tar', ['--full-time', '-tvf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
      for (const line of listing.trim().split('\n')) {
        const stamp = /(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/.exec(line)?.[1] ?? '';
        assert.ok(Date.parse(`${stamp.replace(' ', 'T')}Z`) / 1000 <= EPOCH, line);
      }
    }
    const unpinned = await buildOk(['--no-cache', ctx], { store: storeA });
    assert.notStrictEqual(stepEvents(unpinned, 'build-finished')[0].manifestDigest, (await image(storeA, 'repro:1')).manifestDigest);
  });
});
