// A lock that serialises store writers across processes. It is a kernel flock(2) on `<root>/lock`,
// held by a small child that Node talks to over a pipe: the native helper's `lock` mode (one static
// exec), or util-linux `flock` where the helper is not built. When this process exits or is killed,
// the pipe closes, the child exits and the kernel releases the lock. No stale lock files, no pid
// guessing. Re-entrant within one async call chain.
import { AsyncLocalStorage } from 'async_hooks';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { helperBinary } from '../run/helperBinary';

const held = new AsyncLocalStorage<Set<string>>();

export class StoreLock {
  constructor(readonly file: string, private readonly onWait?: () => void) {}

  /** Runs `fn` while holding the lock; nested calls from inside `fn` do not lock again. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const mine = held.getStore();
    if (mine?.has(this.file)) return fn();
    const release = await this.acquire();
    try {
      return await held.run(new Set([...(mine ?? []), this.file]), fn);
    } finally {
      release();
    }
  }

  /** True when the current async call chain holds this lock. */
  isHeld(): boolean {
    return held.getStore()?.has(this.file) ?? false;
  }

  private async acquire(): Promise<() => void> {
    const [command, args] = lockCommand(this.file);
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const waitNotice = this.onWait ? setTimeout(this.onWait, 1000) : undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        child.stdout.once('data', () => resolve());
        child.once('error', (err) => reject(new Error(`cannot lock ${this.file}: ${err.message} (build the native helper, or install util-linux's flock)`)));
        child.once('exit', (code) => reject(new Error(`cannot lock ${this.file}: ${command} exited with ${code}: ${stderr.trim()}`)));
      });
    } finally {
      if (waitNotice) clearTimeout(waitNotice);
    }
    child.removeAllListeners('exit');
    // The child must not keep Node alive, and must die with us.
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    return () => {
      child.stdin.end();
    };
  }
}

/** The helper's `lock FILE` mode; else `flock` holding the lock for a `cat` that waits for EOF. */
export function lockCommand(file: string): [string, string[]] {
  let helper: string | undefined;
  try {
    helper = helperBinary();
  } catch {
    // not built (or not Linux): util-linux flock does the same with three execs
  }
  if (helper) return [helper, ['lock', file]];
  fs.closeSync(fs.openSync(file, 'a', 0o600)); // flock(1) would create it world-readable
  return ['flock', ['-x', file, 'sh', '-c', 'echo locked; exec cat >/dev/null']];
}
