import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeCacheDirectory, pruneStaleCaches, STALE_CACHE_MS } from '../../server/codeCache';

const CODE_CACHE = path.resolve(__dirname, '..', '..', 'server', 'codeCache.js');

interface ChildLoad {
  cache: 'used' | 'rejected' | 'none';
  cacheFile?: string;
  written: boolean;
  exports: { dir: string; file: string; value: number; os: string };
}

/**
 * Loads `bundle` in a new Node process, as the server's entry does, and waits for the cache write.
 * (Within one process V8 compiles a source it has seen before from memory and ignores the cache.)
 */
function loadInChild(bundle: string, directory: string | undefined): ChildLoad {
  const script = `const { loadWithCodeCache } = require(${JSON.stringify(CODE_CACHE)});
    const loaded = loadWithCodeCache(${JSON.stringify(bundle)}, { directory: ${JSON.stringify(directory)}, writeAfterMs: 10 });
    const keep = setTimeout(() => {}, 10000);
    loaded.written.then((written) => {
      clearTimeout(keep);
      process.stdout.write(JSON.stringify({ cache: loaded.cache, cacheFile: loaded.cacheFile, written, exports: loaded.exports }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `the child failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildLoad;
}

describe('code cache', () => {
  let dir: string;
  let bundle: string;
  let cacheDir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-code-cache-'));
    cacheDir = path.join(dir, 'cache');
    fs.writeFileSync(path.join(dir, 'helper.js'), 'exports.twice = (n) => 2 * n;\n');
    bundle = path.join(dir, 'bundle.js');
    writeBundle(1);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeBundle(n: number): void {
    const body = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i} * ${n}; }`).join('\n');
    fs.writeFileSync(bundle, `${body}\nconst helper = require('./helper');\nexports.dir = __dirname;\nexports.file = __filename;\nexports.value = helper.twice(f7(${n}));\nexports.os = require('os').platform();\n`);
  }

  it('runs the bundle as a CommonJS module: require of siblings and builtins, __dirname, __filename', () => {
    const loaded = loadInChild(bundle, undefined);
    assert.deepStrictEqual(loaded.exports, { dir, file: bundle, value: 2 * (1 + 7), os: os.platform() });
    assert.strictEqual(loaded.cache, 'none');
    assert.strictEqual(loaded.cacheFile, undefined);
    assert.strictEqual(loaded.written, false);
  });

  it('writes the cache once the process has run a while, private to the user, and compiles from it next time', () => {
    const first = loadInChild(bundle, cacheDir);
    assert.strictEqual(first.cache, 'none');
    assert.strictEqual(first.written, true);
    const file = first.cacheFile as string;
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    assert.strictEqual(fs.statSync(cacheDir).mode & 0o777, 0o700);
    const second = loadInChild(bundle, cacheDir);
    assert.strictEqual(second.cache, 'used');
    assert.strictEqual(second.cacheFile, file);
    assert.strictEqual(second.written, false, 'a cache that was used is not written again');
    assert.deepStrictEqual(second.exports, first.exports);
  });

  it('keeps one cache per bundle text: an edited bundle gets its own', () => {
    const first = loadInChild(bundle, cacheDir);
    writeBundle(2);
    const edited = loadInChild(bundle, cacheDir);
    assert.notStrictEqual(edited.cacheFile, first.cacheFile);
    assert.strictEqual(edited.cache, 'none');
    assert.strictEqual(edited.exports.value, 2 * (2 + 14));
  });

  it('touches a cache it uses (once a day), and removes the bundle\'s caches unused for 30 days when it writes one', () => {
    const used = loadInChild(bundle, cacheDir).cacheFile as string;
    const longAgo = new Date(Date.now() - STALE_CACHE_MS - 24 * 3600_000);
    fs.utimesSync(used, longAgo, longAgo);
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'used');
    assert.ok(Date.now() - fs.statSync(used).mtimeMs < 60_000, 'a cache in use is marked used');
    // Caches of earlier bundle texts: one unused for 31 days, one used 10 days ago; a writer's
    // leftover temporary; another bundle's cache and an unrelated file, both old.
    const name = path.basename(used).replace(/-[0-9a-f]+\.v8cache$/, '');
    const stale = path.join(cacheDir, `${name}-aaaaaaaaaaaaaaaaaaaaaaaa.v8cache`);
    const recent = path.join(cacheDir, `${name}-bbbbbbbbbbbbbbbbbbbbbbbb.v8cache`);
    const temporary = path.join(cacheDir, `${name}-cccccccccccccccccccccccc.v8cache.4242.tmp`);
    const other = path.join(cacheDir, `${name}-tools-dddddddddddddddddddddddd.v8cache`);
    const unrelated = path.join(cacheDir, 'notes.txt');
    for (const file of [stale, recent, temporary, other, unrelated]) fs.writeFileSync(file, 'x', { mode: 0o600 });
    for (const file of [stale, temporary, other, unrelated]) fs.utimesSync(file, longAgo, longAgo);
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600_000);
    fs.utimesSync(recent, tenDaysAgo, tenDaysAgo);
    writeBundle(3);
    const edited = loadInChild(bundle, cacheDir);
    assert.strictEqual(edited.written, true);
    assert.deepStrictEqual(fs.readdirSync(cacheDir).sort(), [path.basename(used), path.basename(edited.cacheFile as string), path.basename(recent), path.basename(other), 'notes.txt'].sort());
    // Pruning from the new cache's point of view, 31 days on: everything of this bundle but itself goes.
    assert.deepStrictEqual(pruneStaleCaches(edited.cacheFile as string, Date.now() + STALE_CACHE_MS + 24 * 3600_000).sort(), [path.basename(used), path.basename(recent)].sort());
  });

  it('never hands V8 a damaged cache (V8 trusts the body and would crash), and replaces it', () => {
    const file = loadInChild(bundle, cacheDir).cacheFile as string;
    const stored = fs.readFileSync(file);
    // A body with a byte range zeroed: handed to V8 as is, this crashes Node 20 with SIGSEGV.
    fs.writeFileSync(file, Buffer.from(stored).fill(0, 72, 80), { mode: 0o600 });
    const damaged = loadInChild(bundle, cacheDir);
    assert.strictEqual(damaged.cache, 'rejected');
    assert.strictEqual(damaged.exports.value, 16, 'the bundle still runs');
    assert.strictEqual(damaged.written, true);
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'used');
    // A cache of another Node (V8 checks the header: version and flags) is rejected by V8 itself.
    fs.writeFileSync(file, Buffer.alloc(4096, 7), { mode: 0o600 });
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'rejected');
  });

  it('uses no cache from a directory others may write to, nor a cache file that is not the user\'s own', () => {
    fs.mkdirSync(cacheDir, { mode: 0o700 });
    fs.chmodSync(cacheDir, 0o777);
    const open = loadInChild(bundle, cacheDir);
    assert.strictEqual(open.cacheFile, undefined);
    assert.strictEqual(open.written, false);
    assert.deepStrictEqual(fs.readdirSync(cacheDir), []);

    fs.chmodSync(cacheDir, 0o700);
    const file = loadInChild(bundle, cacheDir).cacheFile as string;
    fs.chmodSync(file, 0o666);
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'none', 'a cache file others may write is ignored');
    fs.chmodSync(file, 0o600);
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'used');
    if (process.getuid?.() !== 0) return; // chown needs root; CI runs as root
    fs.chownSync(file, 65534, 65534);
    assert.strictEqual(loadInChild(bundle, cacheDir).cache, 'none', "another user's cache file is ignored");
  });

  it('finds its directory: LAYERLENS_CODE_CACHE (empty: off), else XDG_CACHE_HOME or ~/.cache', () => {
    assert.strictEqual(codeCacheDirectory({ LAYERLENS_CODE_CACHE: '/var/tmp/x', HOME: '/home/a' }), '/var/tmp/x');
    assert.strictEqual(codeCacheDirectory({ LAYERLENS_CODE_CACHE: '', HOME: '/home/a' }), undefined);
    assert.strictEqual(codeCacheDirectory({ XDG_CACHE_HOME: '/home/a/.c', HOME: '/home/a' }), '/home/a/.c/layerlens');
    assert.strictEqual(codeCacheDirectory({ HOME: '/home/a' }), '/home/a/.cache/layerlens');
  });
});
