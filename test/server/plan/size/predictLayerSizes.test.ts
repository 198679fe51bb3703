import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { openBuildContext, type OpenBuildContext } from '../../../../server/context';
import { DebianPackageSizes } from '../../../../server/packages/debian/debianPackageSizes';
import { aptListsFetcher } from '../../../../server/packages/debian/indexFetchers';
import { DownloadSizes } from '../../../../server/packages/downloadSizes';
import { rootfsImageFiles } from '../../../../server/packages/imageFiles';
import { PackageSizes } from '../../../../server/packages/packageSizes';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import type { LayerPlan, PlannedStep } from '../../../../server/plan/types';
import { describeStepSize, predictLayerSizes, predictStepSizes, type SizeReport } from '../../../../server/plan/size';
import type { ImageSizeReader, SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { writeDebianFixture, type DebianFixture } from '../../packages/debianFixture';

function plan(text: string): LayerPlan {
  return planDockerfile(parseDockerfile(text));
}

function step(p: LayerPlan, stage: number, index: number): PlannedStep {
  return p.stages[stage].steps[index];
}

describe('predictStepSizes over real plans, contexts and package indexes', () => {
  let dir: string;
  let ctx: OpenBuildContext;
  let server: http.Server;
  let baseUrl: string;
  let fixture: DebianFixture;
  let downloads: DownloadSizes;
  let debian: DebianPackageSizes;
  let readers: SizeReaders;
  const images: ImageSizeReader = {
    imageSize: (ref) =>
      ref === 'docker.io/local/base:1'
        ? { state: 'known', value: { source: 'local', layers: [{ digest: 'sha256:a', uncompressedBytes: 80_000_000, compressedBytes: 29_000_000 }] } }
        : ref.startsWith('registry.example/')
          ? { state: 'known', value: { source: 'registry', layers: [{ digest: 'sha256:b', compressedBytes: 3_000_000 }] } }
          : { state: 'unknown', reason: `${ref} is not in the local store` },
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-size-'));
    const put = (rel: string, content: string | Buffer): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    };
    put('app.txt', 'hello');
    put('big.bin', Buffer.alloc(300_000, 1));
    put('src/a.js', 'a'.repeat(1000));
    put('src/b.js', 'b'.repeat(2000));
    put('src/test/a.test.js', 't'.repeat(700));
    put('.dockerignore', 'secret*\n');
    put('secret.key', 'x');
    put('payload/one.txt', 'one');
    put('payload/sub/two.bin', Buffer.alloc(5000, 2));
    execFileSync('tar', ['-czf', path.join(dir, 'payload.tgz'), '-C', path.join(dir, 'payload'), '.']);
    ctx = openBuildContext({ contextDir: dir, watch: false });
    await ctx.ready;
    server = http.createServer((req, res) => {
      if (req.url === '/tool.tar.gz') {
        res.setHeader('Content-Length', '123456');
        res.end(req.method === 'HEAD' ? undefined : Buffer.alloc(123456));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fixture = writeDebianFixture();
    downloads = new DownloadSizes();
    debian = new DebianPackageSizes({ fetchIndex: aptListsFetcher(fixture.lists), images: rootfsImageFiles({ 'docker.io/local/base:1': fixture.rootfs }) });
    readers = { context: ctx.reader, downloads, packages: new PackageSizes({ apt: debian }), images };
  });

  after(() => {
    ctx.dispose();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(fixture.root, { recursive: true, force: true });
  });

  /** Predicts, lets background lookups finish, predicts again. */
  async function settled(p: LayerPlan, extra: Partial<SizeReaders> = {}): Promise<{ plan: LayerPlan; report: SizeReport }> {
    const all = { ...readers, ...extra };
    for (let i = 0; i < 5; i++) {
      const report = predictLayerSizes(p, all);
      if (!report.steps.some((s) => /waiting for|looking up|reading |scanning/.test(s.prediction.basis))) return { plan: predictStepSizes(p, all), report };
      await Promise.all([ctx.reader.settle(), downloads.settled(), debian.settled()]);
    }
    return { plan: predictStepSizes(p, all), report: predictLayerSizes(p, all) };
  }

  it('sizes COPY exactly: headers, padding, parent directories, end blocks', async () => {
    const { plan: p } = await settled(plan('FROM scratch\nCOPY app.txt /app/\nCOPY src /srv/src\n'));
    assert.strictEqual(step(p, 0, 0).predictedBytes, 0);
    assert.strictEqual(step(p, 0, 1).predictedBytes, 512 + 1024 + 1024);
    assert.strictEqual(step(p, 0, 1).confidence, 'exact');
    // srv/, srv/src/, a.js (1000 -> 1024), b.js (2000 -> 2048), test/, a.test.js (700 -> 1024)
    assert.strictEqual(step(p, 0, 2).predictedBytes, 512 * 2 + (512 + 1024) + (512 + 2048) + 512 + (512 + 1024) + 1024);
    assert.strictEqual(describeStepSize(step(p, 0, 1)), '2.56 kB');
  });

  it('honours .dockerignore, --exclude and says what is missing', async () => {
    const { plan: p, report } = await settled(plan('FROM scratch\nCOPY --exclude=test secret.key src /x/\nCOPY nothere.txt /y\n'));
    assert.match(step(p, 0, 1).basis ?? '', /secret\.key not found in the build context/);
    assert.strictEqual(step(p, 0, 1).predictedBytes, undefined);
    assert.ok(report.findings.some((f) => f.code === 'missing-source' && f.stepIndex === 1));
    const ok = await settled(plan('FROM scratch\nCOPY --exclude=test src /x/\n'));
    assert.strictEqual(step(ok.plan, 0, 1).predictedBytes, 512 + (512 + 1024) + (512 + 2048) + 1024);
  });

  it('unpacks a local archive for ADD', async () => {
    const { plan: p } = await settled(plan('FROM scratch\nADD payload.tgz /opt/\n'));
    // opt/, one.txt (3 -> 512), sub/, two.bin (5000 -> 5120)
    assert.strictEqual(step(p, 0, 1).predictedBytes, 512 + (512 + 512) + 512 + (512 + 5120) + 1024);
    assert.match(step(p, 0, 1).basis ?? '', /unpacks payload\.tgz \(tar\+gzip\)/);
  });

  it('finds wasted space: a file copied then deleted, and a chown -R copy-up', async () => {
    const { plan: p, report } = await settled(plan('FROM scratch\nCOPY big.bin /data/big.bin\nCOPY src /app\nRUN rm /data/big.bin && chown -R 1000 /app\n'));
    const copyBig = step(p, 0, 1);
    assert.strictEqual(copyBig.wastedBytes, 512 + 300_032);
    assert.strictEqual(step(p, 0, 2).wastedBytes, 3 * 512 + 1024 + 2048 + 1024);
    const wasted = report.findings.find((f) => f.code === 'wasted-space');
    assert.ok(wasted && wasted.stepIndex === 3 && wasted.paths.includes('/data/big.bin'));
    assert.ok(report.findings.some((f) => f.code === 'copy-up' && f.stepIndex === 3));
    const stage = report.stages[0];
    assert.strictEqual(stage.wastedBytes, copyBig.wastedBytes + (step(p, 0, 2).wastedBytes ?? 0));
    assert.ok(stage.efficiency > 0 && stage.efficiency < 0.6, String(stage.efficiency));
    // The RUN layer holds the whiteout and the copied-up files.
    assert.ok((step(p, 0, 3).predictedBytes ?? 0) > 4096);
  });

  it('reads a here-document body written by a RUN as data, not as commands', async () => {
    const { plan: p, report } = await settled(plan('FROM scratch\nCOPY big.bin /data/big.bin\nRUN cat <<EOF > /start.sh\nrm /data/big.bin\nEOF\n'));
    assert.strictEqual(step(p, 0, 1).wastedBytes ?? 0, 0);
    assert.deepStrictEqual(report.findings.filter((f) => f.code === 'wasted-space'), []);
    // The file the here-document fills is sized from its body (17 bytes): a tar header, one padded
    // block and the two end blocks.
    assert.strictEqual(step(p, 0, 2).predictedBytes, 512 + 512 + 1024);
  });

  it('sizes what tee writes from a piped echo, also through sudo, and leaves an unknown producer unknown', async () => {
    const { report } = await settled(plan('FROM scratch\nRUN echo "deb http://x/ y main" | sudo tee /etc/x.list > /dev/null\nRUN uname -a | tee /u\n'));
    const [piped, unknown] = [1, 2].map((k) => report.steps.find((r) => r.stepIndex === k)?.prediction);
    assert.deepStrictEqual([piped?.contentBytes, piped?.confidence], [Buffer.byteLength('deb http://x/ y main\n'), 'high']);
    assert.strictEqual(unknown?.confidence, 'low');
  });

  it('models apt installs from the base image and flags the lists left behind', async () => {
    const { plan: p, report } = await settled(plan('FROM local/base:1\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n'));
    const run = step(p, 0, 1);
    assert.strictEqual(run.confidence, 'medium', run.basis);
    assert.ok((run.predictedBytes ?? 0) > (500 + 1000 + 6000) * 1024, String(run.predictedBytes));
    assert.match(run.basis ?? '', /apt: 3 new packages/);
    const lists = report.findings.find((f) => f.code === 'cache-left-behind' && f.paths.includes('/var/lib/apt/lists'));
    assert.ok(lists, JSON.stringify(report.findings));
    assert.strictEqual(step(p, 0, 0).predictedBytes, 80_000_000);
    assert.strictEqual(step(p, 0, 0).confidence, 'exact');
    const cleaned = await settled(plan('FROM local/base:1\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n'));
    assert.ok((step(cleaned.plan, 0, 1).predictedBytes ?? 0) < (run.predictedBytes ?? 0));
    assert.ok(!cleaned.report.findings.some((f) => f.code === 'cache-left-behind'));
  });

  it('counts lists deleted in a later RUN as wasted space', async () => {
    const { plan: p } = await settled(plan('FROM local/base:1\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n'));
    assert.ok((step(p, 0, 1).wastedBytes ?? 0) > 0);
  });

  it('keeps cache mounts out of the layer', async () => {
    const lists = await settled(plan('FROM local/base:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n'));
    // Without docker-clean, pkgcache.bin and srcpkgcache.bin still land in /var/cache/apt.
    assert.ok(lists.report.findings.every((f) => !f.paths.includes('/var/lib/apt/lists')));
    assert.ok(lists.report.findings.some((f) => f.code === 'cache-left-behind' && f.paths.includes('/var/cache/apt/archives')));
    const both = await settled(plan('FROM local/base:1\nRUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt apt-get update\n'));
    assert.strictEqual(both.report.steps[1].prediction.bytes, 0);
    assert.ok(!both.report.findings.some((f) => f.code === 'cache-left-behind'));
  });

  it('sizes downloads from Content-Length and says "unknown" with the reason otherwise', async () => {
    const { plan: p } = await settled(plan(`FROM scratch\nRUN curl -fsSL -o /opt/tool.tgz ${baseUrl}/tool.tar.gz\nRUN make install\nRUN pip install flask\n`));
    assert.strictEqual(step(p, 0, 1).predictedBytes, 512 + 512 + 123_904 + 1024);
    assert.strictEqual(step(p, 0, 1).confidence, 'high');
    assert.strictEqual(step(p, 0, 2).predictedBytes, undefined);
    assert.match(step(p, 0, 2).basis ?? '', /`make install` writes files the model cannot predict/);
    assert.match(step(p, 0, 3).basis ?? '', /pip: PyPI publishes download sizes only/);
    assert.strictEqual(step(p, 0, 3).confidence, 'unknown');
  });

  it('sizes COPY --from a stage from what that stage copied, and refuses RUN output', async () => {
    const { plan: p } = await settled(plan('FROM scratch AS build\nCOPY src /app\nRUN make\nFROM scratch\nCOPY --from=build /app/a.js /srv/\nCOPY --from=build /app/dist /srv/dist\n'));
    const fromStage = step(p, 1, 1);
    assert.strictEqual(fromStage.predictedBytes, 512 + (512 + 1024) + 1024);
    assert.strictEqual(fromStage.confidence, 'medium');
    assert.match(fromStage.basis ?? '', /assumes later RUN steps of stage build leave/);
    assert.match(step(p, 1, 2).basis ?? '', /produced by a RUN step/);
  });

  it('reads FROM sizes: registry gives compressed only; unknown images say so', async () => {
    const { plan: p } = await settled(plan('FROM registry.example/app:1\nFROM nowhere/x:2\n'));
    assert.strictEqual(step(p, 0, 0).predictedBytes, undefined);
    assert.match(step(p, 0, 0).basis ?? '', /3 MB compressed in the registry/);
    assert.match(step(p, 1, 0).basis ?? '', /not in the local store/);
  });

  it('shows measured sizes next to predictions for unchanged cache keys', async () => {
    const p = plan('FROM scratch\nCOPY app.txt /app/\n');
    const key = step(p, 0, 1).cacheKey;
    const { plan: sized } = await settled(p, { measured: { measuredBytes: (k) => (k === key ? 4096 : undefined) } });
    assert.strictEqual(step(sized, 0, 1).measuredBytes, 4096);
    assert.strictEqual(describeStepSize(step(sized, 0, 1)), 'predicted 2.56 kB, measured 4.1 kB');
  });

  it('sizes COPY here-documents and WORKDIR', async () => {
    const { plan: p } = await settled(plan('FROM scratch\nWORKDIR /srv/app\nCOPY <<EOF /srv/app/conf.ini\nkey=value\nEOF\n'));
    assert.strictEqual(step(p, 0, 1).predictedBytes, 2 * 512 + 1024);
    assert.strictEqual(step(p, 0, 2).predictedBytes, 2 * 512 + 512 + 512 + 1024);
  });
});
