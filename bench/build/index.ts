// bench/build: the build engine against `buildah bud` (Debian's buildah, chroot isolation, its
// default overlay storage, --layers for its cache) on the same multi-stage project, in the same
// run: a cold build, a fully cached rebuild, and a rebuild after one source file changed. Then
// layer snapshot throughput: tar + sha256 of a 100 MB upper directory by writeLayerTar against
// GNU `tar -cf - | sha256sum` on the same tree. Prints figures and ratios (peer / ours: above 1
// means we are faster). Never fails on time.
//
//   node out/bench/build/index.js [--runs 3] [--mb 100] [--no-buildah]
import { execFileSync, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeLayerTar } from '../../runner/build/writeLayerTar';
import { ImageStore } from '../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../test/fixtures/busyboxRootfs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Options { runs: number; mb: number; buildah: boolean }

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3, mb: 100, buildah: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Number(argv[++i]);
    else if (argv[i] === '--mb') options.mb = Number(argv[++i]);
    else if (argv[i] === '--no-buildah') options.buildah = false;
    else throw new Error(`unknown option ${argv[i]} (expected --runs N, --mb N, --no-buildah)`);
  }
  return options;
}

const DOCKERFILE = `FROM busybox:e2e AS deps
COPY deps/ /deps/
RUN cat /deps/* | md5sum > /deps.sum && cp -r /deps /opt-deps

FROM busybox:e2e AS build
WORKDIR /src
COPY src/ ./
RUN tar -cf /app.tar . && md5sum /app.tar > /app.md5

FROM busybox:e2e
COPY --from=deps /deps.sum /opt/deps.sum
COPY --from=deps /opt-deps /opt/deps
COPY --from=build /app.tar /app.md5 /opt/
COPY config/ /etc/app/
RUN ls -R /opt > /opt/listing
CMD ["cat", "/opt/listing"]
`;

function makeProject(dir: string): void {
  const write = (p: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  };
  write('Dockerfile', DOCKERFILE);
  for (let i = 0; i < 20; i++) write(`deps/lib${i}.so`, randomBytes(256 * 1024));
  for (let i = 0; i < 300; i++) write(`src/module${Math.floor(i / 30)}/file${i}.js`, `export const value${i} = ${i};\n`.repeat(40));
  write('src/assets/big.bin', randomBytes(4 * 1024 * 1024));
  for (let i = 0; i < 10; i++) write(`config/app${i}.conf`, `key${i}=value\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs a command without blocking the event loop (the store lock is released through it). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

interface Peer {
  name: string;
  cold(): Promise<number>;
  cached(): Promise<number>;
  changed(): Promise<number>;
}

function ours(work: string, project: string, storeDir: string): Peer {
  const build = (extra: string[] = []) => timed(() => run(process.execPath, [CLI, 'build', '--progress=plain', '-t', 'bench:ours', ...extra, project], { LAYERLENS_STORE: storeDir }));
  return {
    name: 'layerlens',
    cold: async () => {
      await run(process.execPath, [CLI, 'build', '--prune-cache'], { LAYERLENS_STORE: storeDir });
      return build(['--no-cache']);
    },
    cached: () => build(),
    changed: () => {
      fs.appendFileSync(path.join(project, 'src/module3/file95.js'), `// ${Date.now()}\n`);
      return build();
    },
  };
}

function buildah(work: string, project: string, storeDir: string): Peer {
  const storage = ['--root', path.join(work, 'buildah-root'), '--runroot', path.join(work, 'buildah-runroot')];
  execFileSync('buildah', [...storage, 'pull', '-q', `oci:${storeDir}:docker.io/library/busybox:e2e`], { stdio: 'ignore' });
  const id = execFileSync('buildah', [...storage, 'images', '-q', '--noheading'], { encoding: 'utf8' }).trim().split('\n')[0];
  execFileSync('buildah', [...storage, 'tag', id, 'docker.io/library/busybox:e2e'], { stdio: 'ignore' });
  const build = (extra: string[] = []) => timed(() => run('buildah', [...storage, 'bud', '--pull=never', '--isolation=chroot', '--layers', '-q', '-t', 'bench:buildah', ...extra, project]));
  return {
    name: 'buildah',
    cold: () => build(['--no-cache']),
    cached: () => build(),
    changed: () => {
      fs.appendFileSync(path.join(project, 'src/module3/file95.js'), `// ${Date.now()}\n`);
      return build();
    },
  };
}

function buildahInstalled(): boolean {
  return spawnSync('buildah', ['--version']).status === 0;
}

function row(label: string, oursMs: number, peerMs: number | undefined): void {
  const ratio = peerMs === undefined ? '' : `  ratio ${(peerMs / oursMs).toFixed(2)}x`;
  console.log(`  ${label.padEnd(28)} layerlens ${oursMs.toFixed(0).padStart(6)} ms   buildah ${peerMs === undefined ? '     -' : peerMs.toFixed(0).padStart(6)} ms${ratio}`);
}

async function snapshotThroughput(work: string, megabytes: number): Promise<void> {
  const dir = path.join(work, 'upper');
  const fileCount = megabytes;
  for (let i = 0; i < fileCount; i++) {
    const sub = path.join(dir, `dir${i % 10}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `blob${i}.bin`), randomBytes(1024 * 1024 - 4096));
  }
  for (let i = 0; i < 4096; i++) {
    const sub = path.join(dir, 'small', `d${i % 64}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}`), randomBytes(1024));
  }
  const total = Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
  const mb = total / 1e6;
  const samples = (fn: () => Promise<number> | number, n = 3) => (async () => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await fn());
    return median(out);
  })();
  const tarFile = path.join(work, 'snapshot.tar');
  const oursToFile = await samples(() => {
    fs.rmSync(tarFile, { force: true });
    return timed(async () => { await writeLayerTar(dir, tarFile); });
  });
  const oursHashOnly = await samples(() => timed(async () => { await writeLayerTar(dir, undefined); }));
  const gnu = await samples(() => timed(() => run('sh', ['-c', `tar --sort=name --numeric-owner -cf - -C '${dir}' . | sha256sum > /dev/null`])));
  const gnuToFile = await samples(() => timed(() => run('sh', ['-c', `rm -f '${tarFile}.gnu'; tar --sort=name --numeric-owner -cf - -C '${dir}' . | tee '${tarFile}.gnu' | sha256sum > /dev/null`])));
  console.log(`\nlayer snapshot of a ${mb.toFixed(0)} MB upper directory (${fileCount} large files, 4096 small ones; median of 3):`);
  const show = (label: string, ms: number, peer: number) => console.log(`  ${label.padEnd(34)} ${(mb / (ms / 1000)).toFixed(0).padStart(5)} MB/s (${ms.toFixed(0)} ms)   tar | sha256sum ${(mb / (peer / 1000)).toFixed(0).padStart(5)} MB/s   ratio ${(peer / ms).toFixed(2)}x`);
  show('writeLayerTar, hash only', oursHashOnly, gnu);
  show('writeLayerTar, tar file written', oursToFile, gnuToFile);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const work = path.join(os.tmpdir(), `layerlens-bench-build-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(work);
  try {
    const storeDir = path.join(work, 'store');
    const store = await ImageStore.open(storeDir);
    await store.importRootfsTarball(packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar')), 'busybox:e2e', { config: { Cmd: ['/bin/sh'] } });
    const project = path.join(work, 'project');
    makeProject(project);
    const withBuildah = options.buildah && buildahInstalled();
    const peers = [ours(work, project, storeDir), ...(withBuildah ? [buildah(work, project, storeDir)] : [])];
    console.log(`bench/build: 3-stage project (${DOCKERFILE.split('\n').filter((l) => /^[A-Z]/.test(l)).length} instructions, 335 context files, ~10 MB); median of ${options.runs} runs${withBuildah ? '' : ' (buildah not installed: ours only)'}`);
    // Warm-up: base image unpacked, page cache filled, for both.
    for (const p of peers) await p.cold();
    const results = new Map<string, { cold: number; cached: number; changed: number }>();
    for (const p of peers) {
      const cold: number[] = [];
      const cached: number[] = [];
      const changed: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        cold.push(await p.cold());
        cached.push(await p.cached());
        changed.push(await p.changed());
      }
      results.set(p.name, { cold: median(cold), cached: median(cached), changed: median(changed) });
    }
    const o = results.get('layerlens') as { cold: number; cached: number; changed: number };
    const b = results.get('buildah');
    row('cold build (no cache)', o.cold, b?.cold);
    row('fully cached rebuild', o.cached, b?.cached);
    row('one source file changed', o.changed, b?.changed);
    console.log('  (layerlens times include starting node and the CLI, as buildah\'s include its process)');
    await snapshotThroughput(work, options.mb);
  } finally {
    try {
      execFileSync('buildah', ['--root', path.join(work, 'buildah-root'), '--runroot', path.join(work, 'buildah-runroot'), 'rmi', '--all', '--force'], { stdio: 'ignore' });
    } catch {
      // no buildah storage
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exit(1);
});
