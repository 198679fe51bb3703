// Loads a CommonJS bundle through V8's code cache, so a new server process skips compiling what an
// earlier one compiled (startup and the first diagnostics of a file roughly halve). The cache is one
// file per bundle, Node version and V8 flags, written once the process has run a while (it then
// holds the functions compiled lazily so far) and replaced when V8 rejects it. It lives in a
// directory only this user may write: cached code runs as this user. V8 checks the cache's header
// but trusts its body (a damaged body can crash the process), so each file starts with a sha256
// of the body, checked before V8 sees it. A cache in use is touched once a day; writing one removes
// the same bundle's caches nobody used for 30 days (older releases, Node versions gone).
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { defaultCacheRoot } from '../runner/store/storeRoot';

export interface CodeCacheOptions {
  /** Where cache files go; undefined: no cache (the bundle is loaded as usual). */
  directory?: string;
  /** How long after loading the cache is written, when missing or rejected. */
  writeAfterMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A cache file not used for this long is removed when another of the same bundle is written. */
export const STALE_CACHE_MS = 30 * DAY_MS;

export interface LoadedBundle {
  exports: unknown;
  /** 'used': compiled from the cache; 'rejected': the cache did not fit (rewritten later); 'none': no cache yet or none wanted. */
  cache: 'used' | 'rejected' | 'none';
  cacheFile?: string;
  /** Resolves when the cache has been written (or writing was not needed or failed). */
  written: Promise<boolean>;
}

/**
 * The cache directory: LAYERLENS_CODE_CACHE when set (empty turns the cache off), else
 * $XDG_CACHE_HOME/layerlens or ~/.cache/layerlens.
 */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.LAYERLENS_CODE_CACHE;
  if (explicit !== undefined) return explicit === '' ? undefined : explicit;
  return defaultCacheRoot(env);
}

/** Runs `file` as a CommonJS module, compiled from the code cache in `options.directory` when it fits. */
export function loadWithCodeCache(file: string, options: CodeCacheOptions): LoadedBundle {
  const source = fs.readFileSync(file, 'utf8');
  const directory = options.directory && ownDirectory(options.directory);
  const cacheFile = directory ? path.join(directory, cacheName(file, source)) : undefined;
  const stored = cacheFile ? readOwnFile(cacheFile) : undefined;
  const cachedData = stored && intactBody(stored);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const cache = stored === undefined ? 'none' : !cachedData || script.cachedDataRejected ? 'rejected' : 'used';
  const now = options.now ?? Date.now;
  if (cacheFile && cache === 'used') markUsed(cacheFile, now());
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const written = cacheFile && cache !== 'used' ? writeLater(script, cacheFile, options.writeAfterMs ?? 5000, now) : Promise.resolve(false);
  run.call(bundle.exports, bundle.exports, ((id: string) => bundle.require(id)) as NodeJS.Require, bundle, file, path.dirname(file));
  bundle.loaded = true;
  return { exports: bundle.exports, cache, cacheFile, written };
}

/** Bundle name, a digest of its text, Node's version and architecture, and V8's flags. */
function cacheName(file: string, source: string): string {
  const digest = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}\0${v8.cachedDataVersionTag()}`).digest('hex');
  return `${path.basename(file, '.js')}-${digest.slice(0, 24)}.v8cache`;
}

/** The directory, created private to this user; undefined if it is someone else's or writable by others. */
function ownDirectory(directory: string): string | undefined {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(directory);
    return ownedAndPrivate(stat) ? directory : undefined;
  } catch {
    return undefined;
  }
}

function readOwnFile(file: string): Buffer | undefined {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return ownedAndPrivate(fs.fstatSync(fd)) ? fs.readFileSync(fd) : undefined;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

const DIGEST_BYTES = 32;

/** The cache body when the file's leading digest matches it. */
function intactBody(stored: Buffer): Buffer | undefined {
  if (stored.length <= DIGEST_BYTES) return undefined;
  const body = stored.subarray(DIGEST_BYTES);
  return createHash('sha256').update(body).digest().equals(stored.subarray(0, DIGEST_BYTES)) ? body : undefined;
}

function ownedAndPrivate(stat: fs.Stats): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

/** Its modification time tells when it was last used (kept to a day: one write a day at most). */
function markUsed(cacheFile: string, now: number): void {
  try {
    if (now - fs.statSync(cacheFile).mtimeMs > DAY_MS) fs.utimesSync(cacheFile, new Date(now), new Date(now));
  } catch { /* read-only or gone: it stays until pruned */ }
}

/** Removes the bundle's other cache files (and temporaries of writers that died) unused for STALE_CACHE_MS. */
export function pruneStaleCaches(cacheFile: string, now: number): string[] {
  const directory = path.dirname(cacheFile);
  const bundle = path.basename(cacheFile).replace(/-[0-9a-f]+\.v8cache$/, '');
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return removed;
  }
  for (const name of names) {
    const file = path.join(directory, name);
    if (file === cacheFile || !name.startsWith(`${bundle}-`) || !/^[0-9a-f]+\.v8cache(\.\d+\.tmp)?$/.test(name.slice(bundle.length + 1))) continue;
    try {
      const stat = fs.lstatSync(file);
      if (stat.isFile() && now - stat.mtimeMs > STALE_CACHE_MS) {
        fs.rmSync(file);
        removed.push(name);
      }
    } catch { /* another process removed it */ }
  }
  return removed;
}

function writeLater(script: vm.Script, cacheFile: string, afterMs: number, now: () => number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      try {
        const body = script.createCachedData();
        fs.writeFileSync(temporary, Buffer.concat([createHash('sha256').update(body).digest(), body]), { mode: 0o600 });
        fs.renameSync(temporary, cacheFile);
        pruneStaleCaches(cacheFile, now());
        resolve(true);
      } catch {
        fs.rmSync(temporary, { force: true });
        resolve(false);
      }
    }, afterMs);
    timer.unref();
  });
}
