import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import * as tar from 'tar-stream';
import { AlpinePackageSizes, httpApkFetcher } from '../../../server/packages/alpine/alpinePackageSizes';
import { ApkIndex, parseApkIndex, resolveApkAdd } from '../../../server/packages/alpine/apkIndex';
import { rootfsImageFiles } from '../../../server/packages/imageFiles';
import { PackageSizes } from '../../../server/packages/packageSizes';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { predictLayerSizes } from '../../../server/plan/size';
import type { Lookup } from '../../../server/plan/size/sizeReaders';

const APKINDEX = `C:Q1abc=
P:curl
V:8.9.1-r0
A:x86_64
S:250000
I:290000
D:ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcurl.so.4
p:cmd:curl=8.9.1-r0

P:libcurl
V:8.9.1-r0
A:x86_64
S:380000
I:720000
D:so:libc.musl-x86_64.so.1 so:libz.so.1 so:libnghttp2.so.14
p:so:libcurl.so.4=4.8.0

P:nghttp2-libs
V:1.62.1-r0
S:70000
I:160000
D:so:libc.musl-x86_64.so.1
p:so:libnghttp2.so.14=14.28.2

P:zlib
V:1.3.1-r1
S:50000
I:100000
p:so:libz.so.1=1.3.1

P:musl
V:1.2.5-r0
S:400000
I:650000
p:so:libc.musl-x86_64.so.1=1

P:ca-certificates-bundle
V:20240705-r0
S:130000
I:240000

P:conflicting
V:1
I:5
D:!curl
`;

async function apkindexTarGz(text: string): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  pack.entry({ name: 'APKINDEX', size: Buffer.byteLength(text) }, text);
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

async function settle<T>(sizes: AlpinePackageSizes, ask: () => Lookup<T>): Promise<Lookup<T>> {
  for (let i = 0; i < 5; i++) {
    const answer = ask();
    if (answer.state !== 'pending') return answer;
    await sizes.settled();
  }
  return ask();
}

describe('Alpine apk sizes (APKINDEX and the installed database)', () => {
  let server: http.Server;
  let root: string;
  let sizes: AlpinePackageSizes;
  let indexBytes: number;

  before(async () => {
    const data = await apkindexTarGz(APKINDEX);
    indexBytes = data.length;
    server = http.createServer((req, res) => {
      if (req.url === '/alpine/v3.20/main/x86_64/APKINDEX.tar.gz') res.end(data);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-apk-'));
    fs.mkdirSync(path.join(root, 'lib/apk/db'), { recursive: true });
    fs.mkdirSync(path.join(root, 'etc/apk'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib/apk/db/installed'), 'P:musl\nV:1.2.5-r0\nI:650000\np:so:libc.musl-x86_64.so.1=1\n\nP:zlib\nV:1.3.1-r1\np:so:libz.so.1=1.3.1\n');
    fs.writeFileSync(path.join(root, 'etc/apk/repositories'), `http://127.0.0.1:${port}/alpine/v3.20/main\n#http://nowhere/community\n`);
    sizes = new AlpinePackageSizes({ fetch: httpApkFetcher(), images: rootfsImageFiles({ 'docker.io/library/myalpine:1': root }) });
  });
  after(() => {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('parses APKINDEX paragraphs, virtual names and conflicts', () => {
    const packages = parseApkIndex(APKINDEX);
    assert.strictEqual(packages.length, 7);
    assert.deepStrictEqual(packages[0].depends, ['ca-certificates-bundle', 'so:libc.musl-x86_64.so.1', 'so:libcurl.so.4']);
    assert.deepStrictEqual(packages[6].depends, []);
    const index = new ApkIndex();
    index.add(packages);
    assert.strictEqual(index.resolve('so:libcurl.so.4')?.name, 'libcurl');
  });

  it('resolves `apk add` minus what the image has', () => {
    const index = new ApkIndex();
    index.add(parseApkIndex(APKINDEX));
    const r = resolveApkAdd(index, parseApkIndex('P:musl\np:so:libc.musl-x86_64.so.1=1\n'), ['curl', 'nope']);
    assert.deepStrictEqual(r.packages.map((p) => p.name).sort(), ['ca-certificates-bundle', 'curl', 'libcurl', 'nghttp2-libs', 'zlib']);
    assert.deepStrictEqual(r.missing, ['nope']);
  });

  it('estimates an install from a local image and its repositories over HTTP', async () => {
    const request = { manager: 'apk' as const, baseImage: 'docker.io/library/myalpine:1', platform: 'linux/amd64', packages: ['curl'], installedBefore: [], env: {} };
    const answer = await settle(sizes, () => sizes.estimateInstall(request));
    assert.strictEqual(answer.state, 'known');
    if (answer.state !== 'known') return;
    assert.deepStrictEqual(answer.value.packages.map((p) => p.name).sort(), ['ca-certificates-bundle', 'curl', 'libcurl', 'nghttp2-libs']);
    assert.strictEqual(answer.value.installedBytes, 290000 + 720000 + 160000 + 240000);
    const footprint = await settle(sizes, () => sizes.indexFootprint('docker.io/library/myalpine:1', 'linux/amd64'));
    assert.ok(footprint.state === 'known' && footprint.value.bytes === indexBytes);
  });

  it('flags the index cache `apk add` leaves without --no-cache', async () => {
    const readers = { packages: new PackageSizes({ apk: sizes }) };
    const plan = planDockerfile(parseDockerfile('FROM myalpine:1\nRUN apk add curl\nRUN apk add --no-cache curl\n'));
    let report = predictLayerSizes(plan, readers);
    for (let i = 0; i < 5 && report.steps.some((s) => /waiting/.test(s.prediction.basis)); i++) {
      await sizes.settled();
      report = predictLayerSizes(plan, readers);
    }
    const cache = report.findings.filter((f) => f.code === 'cache-left-behind');
    assert.deepStrictEqual(cache.map((f) => f.stepIndex), [1]);
    assert.ok((report.steps[1].prediction.bytes ?? 0) > (report.steps[2].prediction.bytes ?? 0));
    assert.strictEqual(report.steps[2].prediction.confidence, 'medium');
  });

  it('says why an unknown image cannot be sized', async () => {
    const answer = await settle(sizes, () => sizes.estimateInstall({ manager: 'apk', baseImage: 'docker.io/library/node:20', platform: 'linux/amd64', packages: ['curl'], installedBefore: [], env: {} }));
    assert.ok(answer.state === 'unknown' && /distribution of docker.io\/library\/node:20 is unknown/.test(answer.reason));
  });
});
