// RUN --mount=type=cache,sharing=locked across processes: two builds started at once on one store
// use the same cache directory one after the other (a flock per cache mount), never together.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, buildOk, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const DOCKERFILE = `FROM busybox:e2e
ARG WHO
RUN --mount=type=cache,id=shared-locked,target=/c,sharing=locked \\
    if [ -e /c/busy ]; then echo "CONFLICT with $(cat /c/busy)"; fi; \\
    echo "$WHO" > /c/busy; sleep 1.5; rm /c/busy; echo "$WHO" >> /c/log; echo "done $WHO"
`;

describe('build: sharing=locked cache mounts across processes (busybox)', function () {
  this.timeout(120000);
  let work: string;
  let store: string;
  let ctx: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-locked-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE });
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('two concurrent builds take turns on the cache directory', async () => {
    const started = Date.now();
    const [a, b] = await Promise.all(['a', 'b'].map((who) => buildOk(['--no-cache', '--build-arg', `WHO=${who}`, ctx], { store })));
    const output = [a, b].flatMap((r) => stepEvents(r, 'step-output').map((e) => e.line));
    assert.ok(output.includes('done a') && output.includes('done b'), output.join('\n'));
    assert.ok(!output.some((line) => line.startsWith('CONFLICT')), output.join('\n'));
    assert.ok(Date.now() - started >= 3000, 'the two 1.5 s steps ran one after the other');
    const mounts = path.join(store, 'build-cache', 'mounts');
    const [dir] = fs.readdirSync(mounts);
    assert.deepStrictEqual(fs.readFileSync(path.join(mounts, dir, 'log'), 'utf8').split('\n').filter(Boolean).sort(), ['a', 'b']);
  });
});
