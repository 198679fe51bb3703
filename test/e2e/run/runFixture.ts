// Shared set-up for the container end-to-end tests: a busybox image imported through the store API,
// and the real CLI (dist/cli.js, with the helper next to it) run as a child process.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const HELPER = path.join(REPO, 'dist', 'layerlens-helper');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  store: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (via runuser), for the rootless tests. */
  user?: string;
  timeoutMs?: number;
}

/** Runs the CLI without blocking this process (a blocked event loop would hold the store's lock). */
export function cli(args: string[], o: CliOptions): Promise<CliResult> {
  const env = { ...process.env, ...o.env, LAYERLENS_STORE: o.store };
  const [cmd, argv] = o.user
    ? ['runuser', ['-u', o.user, '--', 'env', `LAYERLENS_STORE=${o.store}`, 'HOME=/tmp', process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`layerlens ${args.join(' ')}: timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, o.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] : 0), stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

/** Runs and asserts exit 0, returning stdout. */
export async function cliOk(args: string[], o: CliOptions): Promise<string> {
  const r = await cli(args, o);
  if (r.code !== 0) throw new Error(`layerlens ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Waits until `check` resolves true (polling), or fails after `ms`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function assertBuilt(): void {
  for (const file of [CLI, HELPER]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the end-to-end tests`);
  }
}

/** A store with busybox imported as `busybox:e2e` (its Cmd is /bin/sh). */
export async function storeWithBusybox(work: string): Promise<{ store: ImageStore; rootfs: string }> {
  const rootfs = makeBusyboxRootfs(path.join(work, 'rootfs'));
  const tarball = packRootfs(rootfs, path.join(work, 'rootfs.tar'));
  const store = await ImageStore.open(path.join(work, 'store'));
  await store.importRootfsTarball(tarball, 'busybox:e2e', { config: { Cmd: ['/bin/sh'], Env: ['FROM_IMAGE=yes'] } });
  return { store, rootfs };
}

/** The same, in a store that `user` owns and fills itself (through the store API), as in practice. */
export function userStoreWithBusybox(work: string, user: { name: string; uid: number; gid: number }): string {
  const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
  fs.chmodSync(tarball, 0o644);
  const storeDir = path.join(work, 'store');
  fs.mkdirSync(storeDir);
  fs.chownSync(storeDir, user.uid, user.gid);
  const script = `require(${JSON.stringify(path.join(REPO, 'out/runner/store/imageStore.js'))}).ImageStore.open(${JSON.stringify(storeDir)})` +
    `.then((s) => s.importRootfsTarball(${JSON.stringify(tarball)}, 'busybox:e2e', { config: { Cmd: ['/bin/sh'] } }))`;
  const r = spawnSync('runuser', ['-u', user.name, '--', process.execPath, '-e', script], { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0) throw new Error(`import as ${user.name} failed: ${r.stderr}`);
  return storeDir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

