// Shared set-up for the build end-to-end tests: a store with the busybox image (`busybox:e2e`),
// the real CLI (dist/cli.js) run as a child process with `--progress=json`, and readers for what
// a build produced (the image's merged files, its layer tars, its config).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import type { BuildEvent } from '../../../runner/build/events';
import { LayerUnion } from '../../../runner/build/layerUnion';
import { ImageStore, type StoredImage } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import { CLI, HELPER, runLayerlens, runLayerlensOk, type CliOptions, type CliResult } from '../../fixtures/layerlensCli';

export { CLI, HELPER, REPO, type CliResult } from '../../fixtures/layerlensCli';

export interface BuildRun extends CliResult {
  events: BuildEvent[];
}

export function assertBuilt(): void {
  for (const file of [CLI, HELPER]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the end-to-end tests`);
  }
  // dist/cli.js may be a dispatcher that loads the build command from another bundle in dist/.
  const dist = path.dirname(CLI);
  const bundles = fs.readdirSync(dist).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dist, f), 'utf8'));
  if (!bundles.some((text) => text.includes('--prune-cache'))) throw new Error(`${CLI} predates the build command: run \`npm run build\``);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cli(args: string[], o: Omit<CliOptions, 'user'>): Promise<CliResult> {
  return runLayerlens(args, o);
}

/** `layerlens build --progress=json ARGS`, with the events parsed. */
export async function build(args: string[], o: { store: string; cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<BuildRun> {
  const r = await cli(['build', '--progress=json', ...args], o);
  const events = r.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as BuildEvent);
  return { ...r, events };
}

/** Builds and asserts success. */
export async function buildOk(args: string[], o: Parameters<typeof build>[1]): Promise<BuildRun> {
  const r = await build(args, o);
  if (r.code !== 0) {
    const failed = r.events.filter((e) => e.type === 'step-failed' || e.type === 'build-failed');
    throw new Error(`layerlens build ${args.join(' ')} exited ${r.code}\n${JSON.stringify(failed, null, 1)}\nstderr: ${r.stderr}`);
  }
  return r;
}

export function cliOk(args: string[], o: Parameters<typeof cli>[1]): Promise<string> {
  return runLayerlensOk(args, o);
}

/** A store with busybox imported as `busybox:e2e` (Cmd /bin/sh, Env FROM_IMAGE=yes). */
export async function storeWithBusybox(work: string): Promise<string> {
  const rootfs = makeBusyboxRootfs(path.join(work, 'rootfs'));
  const tarball = packRootfs(rootfs, path.join(work, 'rootfs.tar'));
  const storeDir = path.join(work, 'store');
  const store = await ImageStore.open(storeDir);
  await store.importRootfsTarball(tarball, 'busybox:e2e', { config: { Cmd: ['/bin/sh'], Env: ['FROM_IMAGE=yes'] } });
  return storeDir;
}

/** Writes `files` (path -> content) below `dir`. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export async function image(storeDir: string, ref: string): Promise<StoredImage> {
  const store = await ImageStore.open(storeDir);
  const found = await store.resolveImage(ref);
  if (!found) throw new Error(`no image ${ref} in ${storeDir}`);
  return found;
}

/** The image's merged file system, read through its unpacked layers. */
export async function imageFiles(storeDir: string, ref: string): Promise<LayerUnion> {
  const store = await ImageStore.open(storeDir);
  const found = await image(storeDir, ref);
  return new LayerUnion(await store.unpackedLayerDirs(found));
}

/** Every layer blob of the image, uncompressed. */
export async function layerTars(storeDir: string, ref: string): Promise<Buffer[]> {
  const store = await ImageStore.open(storeDir);
  const found = await image(storeDir, ref);
  return found.layers.map((l) => {
    const blob = fs.readFileSync(store.blobPath(l.digest));
    return l.mediaType.endsWith('gzip') ? zlib.gunzipSync(blob) : blob;
  });
}

export function stepEvents<T extends BuildEvent['type']>(run: BuildRun, type: T): Extract<BuildEvent, { type: T }>[] {
  return run.events.filter((e): e is Extract<BuildEvent, { type: T }> => e.type === type);
}

/** Finished layer steps (RUN/COPY/ADD/WORKDIR) by display text. */
export function finishedSteps(run: BuildRun): { display: string; cached: boolean; bytes?: number }[] {
  const started = new Map(stepEvents(run, 'step-started').map((e) => [`${e.stage}:${e.step}`, e.display]));
  return stepEvents(run, 'step-finished').map((e) => ({ display: started.get(`${e.stage}:${e.step}`) ?? '?', cached: e.cached, bytes: e.layer?.bytes }));
}
