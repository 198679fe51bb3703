// RUN --mount (secret, cache, tmpfs, bind) and --network: what the step sees, and that nothing of
// it reaches a layer, the config or the history.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, build, buildOk, finishedSteps, image, imageFiles, layerTars, stepEvents, storeWithBusybox, tempDir, writeTree } from './buildFixture';

const SECRET = 's3cr3t-value-7d1e';

const DOCKERFILE = `FROM busybox:e2e
RUN --mount=type=secret,id=token echo "secret length $(wc -c < /run/secrets/token)" && cp /run/secrets/token /tmp/leak && rm /tmp/leak
RUN --mount=type=secret,id=token,env=TOKEN echo "env secret length ${'$'}{#TOKEN}"
RUN --mount=type=cache,target=/cache echo run >> /cache/log && wc -l < /cache/log > /cache-count
RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && grep -q ' /scratch tmpfs ' /proc/mounts && echo tmpfs-ok
RUN --mount=type=bind,source=data,target=/data cat /data/file > /bound.txt && ! touch /data/readonly 2>/dev/null
RUN --network=none sh -c 'tail -n +3 /proc/net/dev | grep -vc " lo:" || true' > /ifaces-none
RUN sh -c 'tail -n +3 /proc/net/dev | wc -l' > /ifaces-host
`;

describe('build: RUN mounts and network (busybox)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  let ctx: string;
  let secretFile: string;
  let first: Awaited<ReturnType<typeof buildOk>>;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-mounts-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'data/file': 'bound content 1\n' });
    secretFile = path.join(work, 'token.txt');
    fs.writeFileSync(secretFile, SECRET);
    first = await buildOk(['-t', 'mounts:1', '--secret', `id=token,src=${secretFile}`, ctx], { store });
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('gives RUN the secret as a file and as an environment variable', () => {
    const lines = stepEvents(first, 'step-output').map((e) => e.line);
    assert.ok(lines.includes(`secret length ${SECRET.length}`), lines.join('\n'));
    assert.ok(lines.includes(`env secret length ${SECRET.length}`), lines.join('\n'));
    assert.ok(lines.includes('tmpfs-ok'));
  });

  it('keeps secrets out of every layer, the config and the history', async () => {
    for (const tar of await layerTars(store, 'mounts:1')) assert.ok(!tar.includes(SECRET), 'a layer contains the secret');
    const img = await image(store, 'mounts:1');
    assert.ok(!JSON.stringify(img.config).includes(SECRET));
    const files = await imageFiles(store, 'mounts:1');
    assert.strictEqual(files.lookup('/run/secrets'), undefined);
    assert.strictEqual(files.lookup('/run'), undefined);
  });

  it('keeps cache, tmpfs and bind mounts out of the layers', async () => {
    const files = await imageFiles(store, 'mounts:1');
    for (const p of ['/cache', '/scratch', '/data']) assert.strictEqual(files.lookup(p), undefined, p);
    assert.strictEqual(files.readFile('/bound.txt')?.toString(), 'bound content 1\n');
    assert.strictEqual(files.readFile('/cache-count')?.toString().trim(), '1');
  });

  it('isolates --network=none and shares the host network by default', async () => {
    const files = await imageFiles(store, 'mounts:1');
    assert.strictEqual(files.readFile('/ifaces-none')?.toString().trim(), '0');
    assert.ok(Number(files.readFile('/ifaces-host')?.toString().trim()) >= 1);
  });

  it('keeps cache mounts between builds and re-runs a bind-mount step when its source changes', async () => {
    fs.writeFileSync(path.join(ctx, 'data/file'), 'bound content 2\n');
    const r = await buildOk(['-t', 'mounts:2', '--no-cache', '--secret', `id=token,src=${secretFile}`, ctx], { store });
    const files = await imageFiles(store, 'mounts:2');
    assert.strictEqual(files.readFile('/cache-count')?.toString().trim(), '2', 'the cache mount kept the first build\'s line');
    assert.strictEqual(files.readFile('/bound.txt')?.toString(), 'bound content 2\n');
    assert.ok(r.events.length > 0);
    const cachedBuild = await buildOk(['--secret', `id=token,src=${secretFile}`, ctx], { store });
    const bind = finishedSteps(cachedBuild).find((s) => s.display.includes('type=bind'));
    assert.strictEqual(bind?.cached, true);
    fs.writeFileSync(path.join(ctx, 'data/file'), 'bound content 3\n');
    const changed = await buildOk(['--secret', `id=token,src=${secretFile}`, ctx], { store });
    assert.strictEqual(finishedSteps(changed).find((s) => s.display.includes('type=bind'))?.cached, false);
  });

  it('fails clearly when a required secret is missing', async () => {
    const required = writeTree(path.join(work, 'required'), { Dockerfile: 'FROM busybox:e2e\nRUN --mount=type=secret,id=key,required cat /run/secrets/key\n' });
    const r = await build([required], { store });
    assert.strictEqual(r.code, 1);
    const failed = stepEvents(r, 'step-failed')[0];
    assert.match(failed.message, /secret key is required/);
    assert.strictEqual(failed.range.start.line, 1);
  });
});
