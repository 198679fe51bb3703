// The store lock across real processes: exclusion, release when the holder is killed, the native
// helper's `lock` mode (one exec) and the util-linux flock fallback.
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockCommand, StoreLock } from '../../../runner/store/storeLock';

const STORE_LOCK = path.resolve(__dirname, '..', '..', '..', 'runner', 'store', 'storeLock.js');

/** A separate Node process that takes the lock, says "held" and keeps it until killed. */
function holdInChild(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildProcess> {
  const script = `const { StoreLock } = require(${JSON.stringify(STORE_LOCK)});
    new StoreLock(${JSON.stringify(file)}).withLock(() => { process.stdout.write('held\\n'); return new Promise(() => setInterval(() => {}, 1000)); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}

async function acquiredWithin(lock: StoreLock, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), ms); });
  const got = await Promise.race([lock.withLock(async () => true), timeout]);
  clearTimeout(timer);
  return got;
}

describe('StoreLock', function () {
  this.timeout(20000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-lock-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is held by the native helper in one exec when it is built', () => {
    const file = path.join(dir, 'lock');
    const [command, args] = lockCommand(file);
    assert.match(path.basename(command), /^layerlens-helper$/);
    assert.deepStrictEqual(args, ['lock', file]);
  });

  for (const variant of ['helper', 'flock fallback']) {
    describe(variant, () => {
      const env = variant === 'helper' ? process.env : { ...process.env, LAYERLENS_HELPER: path.join(os.tmpdir(), 'no-such-helper') };

      it('excludes another process until the holder is killed with SIGKILL; the lock file is private', async () => {
        const file = path.join(dir, 'lock');
        const holder = await holdInChild(file, env);
        const exited = new Promise((r) => holder.once('exit', r));
        const waiter = spawn(process.execPath, ['-e', `const { StoreLock } = require(${JSON.stringify(STORE_LOCK)});
          process.stdout.write('trying\\n'); new StoreLock(${JSON.stringify(file)}).withLock(async () => process.stdout.write('got\\n'));`], { env });
        const waiterExit = new Promise((r) => waiter.once('exit', r));
        let out = '';
        const trying = new Promise<void>((resolve) => waiter.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('trying')) resolve(); }));
        await trying;
        await new Promise((r) => setTimeout(r, 500));
        assert.strictEqual(out, 'trying\n', 'the waiter got the lock while another process held it');
        holder.kill('SIGKILL');
        await exited;
        assert.strictEqual(await waiterExit, 0);
        assert.strictEqual(out, 'trying\ngot\n');
        assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
      });

      it('is released when withLock returns, and re-entrant inside it', async () => {
        const file = path.join(dir, 'lock');
        const lock = new StoreLock(file);
        const previous = process.env.LAYERLENS_HELPER;
        if (env.LAYERLENS_HELPER) process.env.LAYERLENS_HELPER = env.LAYERLENS_HELPER;
        try {
          const inner = await lock.withLock(async () => {
            assert.ok(lock.isHeld());
            return lock.withLock(async () => 'nested');
          });
          assert.strictEqual(inner, 'nested');
          assert.strictEqual(lock.isHeld(), false);
          const holder = await holdInChild(file, env); // a new process gets it at once
          holder.kill('SIGKILL');
          assert.ok(await acquiredWithin(lock, 3000));
        } finally {
          if (previous === undefined) delete process.env.LAYERLENS_HELPER;
          else process.env.LAYERLENS_HELPER = previous;
        }
      });
    });
  }
});
