// bench/run: start-to-exit time of a container running /bin/true, in the same run, for
//   - our helper invoked directly (the request a `run` makes: overlay, /proc /dev /sys, /etc files,
//     user namespace with a full map, caps, seccomp),
//   - our CLI: `layerlens run --rm IMAGE /bin/true` (Node start-up, store lookup, record, clean-up),
//   - crun (`crun --cgroup-manager=disabled run`) on an equivalent OCI bundle (the same rootfs, a
//     user namespace with the same map, default mounts, masked paths, seccomp-free as crun spec has),
//   - `unshare -Urmpf --mount-proc` + chroot, the bare minimum.
// Runs interleaved (one of each per round) so background load hits all alike; prints medians and
// ratios. Targets (printed, never enforced): helper within 1.5x of crun; CLI under 100 ms, with
// Node's start-up and the load of the CLI's code for `run` (`layerlens run` without an image: the
// dispatcher plus the containers bundle, then a usage error) shown apart from the run itself.
// The CLI is started as users start it, through bin/layerlens. NODE_EXTRA_CA_CERTS makes Node parse
// every root certificate before any JS runs; bin/layerlens defers it for `run` (see runner/cli.ts),
// so when it is set Node's start-up is also timed without it, which is what `run` pays.
//
//   node out/bench/run/index.js [--samples 40]
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeHelperRequest } from '../../runner/run/helperRequest';
import { writeRuntimeFiles } from '../../runner/run/runtimeFiles';
import { ImageStore } from '../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../test/fixtures/busyboxRootfs';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HELPER = path.join(ROOT, 'dist', 'layerlens-helper');
const CLI = path.join(ROOT, 'bin', 'layerlens');

interface Contender {
  name: string;
  command: string[];
  env?: NodeJS.ProcessEnv;
  /** The exit code that means success (default 0). */
  expectedExit?: number;
  /** Runs before each sample, untimed (fresh directories). */
  prepare?: () => void;
}

function timeOnce(c: Contender): Promise<number> {
  c.prepare?.();
  const [cmd, ...args] = c.command;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: c.env ?? process.env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== (c.expectedExit ?? 0)) reject(new Error(`${c.name}: exit ${code}: ${stderr.trim()}`));
      else resolve(ms);
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function crunBundle(dir: string, rootfs: string): string {
  const bundle = path.join(dir, 'crun-bundle');
  fs.mkdirSync(bundle, { recursive: true });
  spawnSync('crun', ['spec'], { cwd: bundle });
  const config = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8'));
  config.process.terminal = false;
  config.process.args = ['/bin/true'];
  config.root = { path: rootfs, readonly: false };
  config.linux.namespaces.push({ type: 'user' });
  config.linux.uidMappings = [{ containerID: 0, hostID: 0, size: 4294967295 }];
  config.linux.gidMappings = [{ containerID: 0, hostID: 0, size: 4294967295 }];
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config, null, 2));
  return bundle;
}

/**
 * crun 1.8 refuses a hybrid cgroup layout whose v2 tree has any controller (this CI's has hugetlb),
 * whatever the cgroup manager. No container here uses cgroups, so the benchmark runs in a private
 * mount namespace without the v2 mount: crun then sees a v1 layout. The host is left untouched.
 */
function hiddenHybridCgroups(): boolean {
  const unified = '/sys/fs/cgroup/unified/cgroup.controllers';
  if (process.env.LAYERLENS_BENCH_NS === '1' || !fs.existsSync(unified) || !fs.readFileSync(unified, 'utf8').trim()) return false;
  const script = 'umount -l /sys/fs/cgroup/unified && exec "$@"';
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, LAYERLENS_BENCH_NS: '1' },
  });
  process.exitCode = r.status ?? 1;
  return true;
}

async function main(): Promise<void> {
  if (hiddenHybridCgroups()) return;
  const samplesArg = process.argv.indexOf('--samples');
  const samples = samplesArg > 0 ? Number(process.argv[samplesArg + 1]) : 40;
  for (const file of [HELPER, CLI]) if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root (crun and the helper are compared with the same full id map)');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-bench-run-'));
  try {
    const rootfs = makeBusyboxRootfs(path.join(work, 'rootfs'));
    const store = await ImageStore.open(path.join(work, 'store'));
    await store.importRootfsTarball(packRootfs(rootfs, path.join(work, 'rootfs.tar')), 'bench:busybox');
    await store.unpackedLayerDirs((await store.resolveImage('bench:busybox')) as NonNullable<Awaited<ReturnType<ImageStore['resolveImage']>>>);

    // the helper, with what `run` asks of it
    const bundle = path.join(work, 'helper-bundle');
    const fresh = () => {
      for (const d of ['upper', 'work']) {
        fs.rmSync(path.join(bundle, d), { recursive: true, force: true });
        fs.mkdirSync(path.join(bundle, d), { recursive: true });
      }
    };
    fs.mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
    fresh();
    const spec = encodeHelperRequest({
      rootfs: { lowerDirs: [rootfs], upperDir: path.join(bundle, 'upper'), workDir: path.join(bundle, 'work'), mountPoint: path.join(bundle, 'rootfs') },
      idMapping: { mode: 'root', hostUid: 0, hostGid: 0 },
      hostname: 'bench', network: 'none', mounts: writeRuntimeFiles(bundle, 'bench', 'none'),
      process: { args: ['/bin/true'], env: ['PATH=/usr/bin:/bin'], cwd: '/', user: '', tty: false },
    });
    const specFile = path.join(work, 'helper.spec');
    // status lines go to stderr when invoked by hand: drop the status fd Node would provide
    fs.writeFileSync(specFile, spec.toString('utf8').split('\0').filter((r) => r && !r.startsWith('status-fd=')).map((r) => `${r}\0`).join(''));

    const crunRoot = path.join(work, 'crun-state');
    const crun = crunBundle(work, rootfs);
    let crunId = 0;
    const crunContender: Contender = { name: 'crun run', command: [], prepare: () => { crunContender.command = ['crun', '--root', crunRoot, '--cgroup-manager=disabled', 'run', '--bundle', crun, `bench-${process.pid}-${crunId++}`]; } };
    const cliEnv = { ...process.env, LAYERLENS_STORE: store.root };
    const withoutCaCerts = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));
    const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
    const contenders: Contender[] = [
      { name: 'layerlens-helper run', command: [HELPER, 'run', '--spec', specFile], prepare: fresh },
      { name: 'layerlens run --rm', command: [CLI, 'run', '--rm', 'bench:busybox', '/bin/true'], env: cliEnv },
      crunContender,
      { name: 'unshare -Urmpf + chroot', command: ['unshare', '-Urmpf', '--mount-proc', 'chroot', rootfs, '/bin/true'] },
      { name: 'node -e 0 (Node start-up)', command: [process.execPath, '-e', '0'] },
      { name: 'layerlens run (CLI load)', command: [CLI, 'run'], expectedExit: 2 },
      ...(extraCaCerts ? [{ name: 'node -e 0, no EXTRA_CA_CERTS', command: [process.execPath, '-e', '0'], env: withoutCaCerts(process.env) }] : []),
    ];
    const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    for (let round = -3; round < samples; round++) { // three warm-up rounds
      for (const c of contenders) {
        const ms = await timeOnce(c);
        if (round >= 0) times.get(c.name)?.push(ms);
      }
    }
    const med = (name: string) => median(times.get(name) as number[]);
    const crunMs = med('crun run');
    console.log(`bench/run: /bin/true in a container, start to exit, ${samples} samples each, interleaved (load ${os.loadavg()[0].toFixed(2)}, ${os.cpus().length} CPUs, Linux ${os.release()})`);
    if (process.env.LAYERLENS_BENCH_NS === '1') console.log('(in a private mount namespace without /sys/fs/cgroup/unified, which crun 1.8 refuses in hybrid layouts)');
    console.log('');
    console.log(`${'contender'.padEnd(30)} ${'best'.padStart(9)} ${'median'.padStart(9)} ${'p90'.padStart(9)} ${'vs crun'.padStart(9)}`);
    for (const c of contenders) {
      const list = times.get(c.name) as number[];
      console.log(`${c.name.padEnd(30)} ${`${Math.min(...list).toFixed(1)} ms`.padStart(9)} ${`${median(list).toFixed(1)} ms`.padStart(9)} ${`${percentile(list, 0.9).toFixed(1)} ms`.padStart(9)} ${`${(median(list) / crunMs).toFixed(2)}x`.padStart(9)}`);
    }
    const helperRatio = med('layerlens-helper run') / crunMs;
    const cliMs = med('layerlens run --rm');
    console.log(`\ntarget: helper within 1.5x of crun: ${helperRatio.toFixed(2)}x ${helperRatio <= 1.5 ? 'met' : 'NOT met'}`);
    const breakdown = (runMs: number, nodeMs: number, loadMs: number) =>
      `${runMs.toFixed(1)} ms ${runMs < 100 ? 'met' : 'NOT met'}: Node start-up ${nodeMs.toFixed(1)} ms, ` +
      `loading the CLI's code for run ${(loadMs - nodeMs).toFixed(1)} ms, the run itself ${(runMs - loadMs).toFixed(1)} ms`;
    const nodeMs = med(extraCaCerts ? 'node -e 0, no EXTRA_CA_CERTS' : 'node -e 0 (Node start-up)');
    console.log(`target: CLI under 100 ms: ${breakdown(cliMs, nodeMs, med('layerlens run (CLI load)'))}`);
    if (extraCaCerts) console.log('        (NODE_EXTRA_CA_CERTS is set here; bin/layerlens defers it for run, so Node start-up is the figure without it)');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench/run: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
