// Kills the CLI with SIGKILL at random points during pull, import and commit (and layer unpack),
// many times over, and checks after every kill that `layerlens fsck` reports a valid store; at
// the end the operation completes and gives the right image.
import * as assert from 'assert';
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { LocalRegistry, startLocalRegistry } from '../../fixtures/localRegistry';
import { CLI, layerlens, layerlensOk } from './cliHelpers';

const ROUNDS = 12;

interface KillOutcome {
  killed: boolean;
  ms: number;
}

/** Starts `node args` and SIGKILLs it after a random delay in [0, maxDelayMs). */
function runAndKill(args: string[], env: NodeJS.ProcessEnv, delayMs: number): Promise<KillOutcome> {
  const started = Date.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  return new Promise((resolve) => {
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', ms: Date.now() - started });
    });
  });
}

/**
 * Kill points spread over the operation: round r of n dies at a random point of its own slice of
 * the fastest complete run seen so far. A first (cold) run is slower than later ones, so a bound
 * taken from it alone would let most later runs finish before the kill.
 */
class KillSchedule {
  constructor(private fastestMs: number, private readonly rounds: number) {}

  delay(round: number): number {
    return this.fastestMs * 0.95 * ((round + Math.random()) / this.rounds);
  }

  observe(outcome: KillOutcome): void {
    if (!outcome.killed) this.fastestMs = Math.min(this.fastestMs, outcome.ms);
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await fn();
  return Date.now() - started;
}

async function assertValid(env: NodeJS.ProcessEnv, round: number): Promise<void> {
  const r = await layerlens(['fsck', '--json'], env);
  const report = JSON.parse(r.stdout || '{}') as { ok?: boolean; problems?: unknown[] };
  assert.strictEqual(r.code, 0, `round ${round}: fsck found an invalid store:\n${r.stdout}\n${r.stderr}`);
  assert.strictEqual(report.ok, true);
}

describe('crash consistency: SIGKILL during pull, import and commit', function () {
  this.timeout(300000);
  let work: string;
  let tarball: string;
  let registry: LocalRegistry;
  const image = () => `${registry.host}/crash/big:1`;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-e2e-crash-'));
    const rootfs = makeBusyboxRootfs(path.join(work, 'rootfs'));
    // incompressible data so that every operation takes long enough to be interrupted inside
    fs.mkdirSync(path.join(rootfs, 'data'));
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(rootfs, 'data', `blob${i}`), randomBytes(6 * 1024 * 1024));
    tarball = packRootfs(rootfs, path.join(work, 'rootfs.tar'));
    registry = await startLocalRegistry();
    const env = { LAYERLENS_STORE: path.join(work, 'seed'), DOCKER_CONFIG: work };
    await layerlensOk(['import', tarball, image()], env);
    await layerlensOk(['push', image()], env);
  });
  after(async () => {
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it(`pull: ${ROUNDS} kills, fsck valid after each, then a complete pull`, async () => {
    const env = { LAYERLENS_STORE: path.join(work, 'pull'), DOCKER_CONFIG: work };
    const full = await timed(() => layerlensOk(['pull', image()], { ...env, LAYERLENS_STORE: path.join(work, 'pull-timing') }));
    const schedule = new KillSchedule(full, ROUNDS);
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await runAndKill([CLI, 'pull', image()], env, schedule.delay(round));
      schedule.observe(outcome);
      if (outcome.killed) killed++;
      await assertValid(env, round);
      if (round % 4 === 3) await layerlens(['rmi', image()], env); // start over now and then
    }
    assert.ok(killed >= ROUNDS / 2, `only ${killed} of ${ROUNDS} pulls were interrupted`);
    await layerlensOk(['pull', image()], env);
    const store = await ImageStore.open(env.LAYERLENS_STORE);
    const seed = await (await ImageStore.open(path.join(work, 'seed'))).resolveImage(image());
    assert.strictEqual((await store.resolveImage(image()))?.manifestDigest, seed?.manifestDigest);
    await assertValid(env, ROUNDS);
  });

  it('a pull killed mid-download resumes from the partial blob it left', async () => {
    const env = { LAYERLENS_STORE: path.join(work, 'resume'), DOCKER_CONFIG: work };
    const tmp = path.join(env.LAYERLENS_STORE, 'tmp');
    const child = spawn(process.execPath, [CLI, 'pull', image()], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    let partialSize = 0;
    for (let i = 0; i < 2000 && partialSize < 1024 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 2));
      const partial = fs.existsSync(tmp) ? fs.readdirSync(tmp).find((n) => n.endsWith('.partial')) : undefined;
      partialSize = partial ? fs.statSync(path.join(tmp, partial)).size : 0;
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(partialSize >= 1024 * 1024, 'the download never got going');
    await assertValid(env, 0);
    const resumed = await layerlens(['pull', image()], env);
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resumed at \d/);
    await assertValid(env, 1);
  });

  it(`import: ${ROUNDS} kills, fsck valid after each, then a complete import`, async () => {
    const env = { LAYERLENS_STORE: path.join(work, 'import'), DOCKER_CONFIG: work };
    const full = await timed(() => layerlensOk(['import', tarball, 'timing'], { ...env, LAYERLENS_STORE: path.join(work, 'import-timing') }));
    const schedule = new KillSchedule(full, ROUNDS);
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await runAndKill([CLI, 'import', tarball, `crash:${round}`], env, schedule.delay(round));
      schedule.observe(outcome);
      if (outcome.killed) killed++;
      await assertValid(env, round);
    }
    assert.ok(killed >= ROUNDS / 2, `only ${killed} of ${ROUNDS} imports were interrupted`);
    await layerlensOk(['import', tarball, 'crash:final'], env);
    await assertValid(env, ROUNDS);
    const prune = JSON.parse(await layerlensOk(['prune', '--json'], env)) as { tempRemoved: string[] };
    assert.ok(Array.isArray(prune.tempRemoved));
    assert.deepStrictEqual(fs.readdirSync(path.join(env.LAYERLENS_STORE, 'tmp')), [], 'prune removes what the killed imports left');
  });

  it(`commit (commitLayer + writeImage) and layer unpack: ${ROUNDS} kills each, fsck valid after each`, async () => {
    const env = { LAYERLENS_STORE: path.join(work, 'commit'), DOCKER_CONFIG: work };
    await layerlensOk(['import', tarball, 'base'], env);
    const storeModule = path.resolve(__dirname, '../../../runner/store/imageStore.js');
    const upper = path.join(work, 'rootfs');
    const commitScript = `const { ImageStore } = require(${JSON.stringify(storeModule)});
      (async () => {
        const store = await ImageStore.open(process.env.LAYERLENS_STORE);
        const base = await store.resolveImage('base');
        const layer = await store.commitLayer({ directory: ${JSON.stringify(upper)} });
        const config = { ...base.config, rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, layer.diffId] } };
        const image = await store.writeImage({ config, layers: [...base.layers, layer], tags: [process.argv[1]] });
        await store.unpackedLayerDirs(image);
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const full = await timed(async () => {
      const r = await runAndKill(['-e', commitScript, 'committed:timing'], env, 600_000);
      assert.strictEqual(r.killed, false);
    });
    const schedule = new KillSchedule(full, ROUNDS);
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await runAndKill(['-e', commitScript, `committed:${round}`], env, schedule.delay(round));
      schedule.observe(outcome);
      if (outcome.killed) killed++;
      await assertValid(env, round);
      if (round % 3 === 2) {
        // drop the unpacked layers so the next rounds are killed while unpacking too
        await layerlens(['rmi', 'committed:timing'], env);
        for (let r = 0; r <= round; r++) await layerlens(['rmi', `committed:${r}`], env);
        await layerlensOk(['prune'], env);
      }
    }
    assert.ok(killed >= ROUNDS / 2, `only ${killed} of ${ROUNDS} commits were interrupted`);
    const store = await ImageStore.open(env.LAYERLENS_STORE);
    for (const entry of fs.readdirSync(store.layersDir)) {
      // every unpacked layer that exists is complete (it appeared by one rename)
      assert.ok(fs.existsSync(path.join(store.layersDir, entry, 'bin/busybox')) || fs.existsSync(path.join(store.layersDir, entry, 'data')), entry);
    }
    await assertValid(env, ROUNDS);
  });
});
