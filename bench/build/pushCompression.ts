// bench/build/pushCompression: how fast push's gzip step is at each zlib level, against GNU
// `gzip -N` on the same layer tar in the same run (the peer), with the compressed size. The
// layer is a tar of /usr/lib (shared libraries and data: a typical package-install layer),
// stored in a scratch store as an uncompressed blob the way a build stores it. Prints MB/s and
// ratio (gzip's time / ours: above 1 means we are faster). Never fails on time.
//
//   node out/bench/build/pushCompression.js [--mb 100]
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipLayerForPush, PUSH_GZIP_LEVEL } from '../../runner/registry/gzipForPush';
import { ImageStore } from '../../runner/store/imageStore';

async function main(): Promise<void> {
  const mbIndex = process.argv.indexOf('--mb');
  const mb = mbIndex > 0 ? Number(process.argv[mbIndex + 1]) : 100;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-bench-gzip-'));
  try {
    const tarFile = path.join(work, 'layer.tar');
    execFileSync('sh', ['-c', `tar -cf - -C /usr lib 2>/dev/null | head -c ${mb * 1024 * 1024} > ${tarFile}`]);
    const bytes = fs.statSync(tarFile).size;
    const store = await ImageStore.open(path.join(work, 'store'));
    const tar = fs.readFileSync(tarFile);
    const diffId = await store.putBlob(tar);
    console.log(`layer: ${(bytes / 1e6).toFixed(0)} MB tar of /usr/lib; push uses level ${PUSH_GZIP_LEVEL}; load: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const level of [1, 3, 6]) {
      let t = process.hrtime.bigint();
      const staged = await gzipLayerForPush(store, { digest: diffId, diffId }, level);
      const ours = Number(process.hrtime.bigint() - t) / 1e6;
      fs.rmSync(staged.stagedPath);
      t = process.hrtime.bigint();
      const peer = spawnSync('sh', ['-c', `gzip -${level} -n -c ${tarFile} | wc -c`], { encoding: 'utf8' });
      const theirs = Number(process.hrtime.bigint() - t) / 1e6;
      const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
      console.log(`level ${level}: layerlens ${mbps(ours).padStart(4)} MB/s -> ${(staged.size / bytes * 100).toFixed(1)}%   gzip -${level} ${mbps(theirs).padStart(4)} MB/s -> ${(Number(peer.stdout) / bytes * 100).toFixed(1)}%   ratio ${(theirs / ours).toFixed(2)}x`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
