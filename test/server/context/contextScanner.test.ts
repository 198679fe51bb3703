import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openBuildContext, type OpenBuildContext } from '../../../server/context';
import type { FileNode } from '../../../server/plan/size/fileTree';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
}

function listing(node: FileNode | undefined, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, child] of [...(node?.children ?? new Map<string, FileNode>())].sort()) {
    const p = prefix + name;
    out.push(child.kind === 'dir' ? p + '/' : p);
    if (child.kind === 'dir') out.push(...listing(child, p + '/'));
  }
  return out;
}

/** Resolves on the next change notification (or after `ms`, failing the expectation later). */
function nextChange(ctx: OpenBuildContext, ms = 3000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const off = ctx.scanner.onDidChange(() => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('BuildContextScanner (real files, real watchers)', () => {
  let dir: string;
  let ctx: OpenBuildContext | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-ctx-'));
  });
  afterEach(() => {
    ctx?.dispose();
    ctx = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out what .dockerignore excludes and never reads skipped directories', async () => {
    write(dir, {
      '.dockerignore': 'node_modules\n*.log\nbuild\n!build/keep.txt\n',
      'src/a.ts': 'a',
      'app.log': 'x',
      'node_modules/dep/index.js': 'x'.repeat(100),
      'build/out.bin': 'b',
      'build/keep.txt': 'k',
      'build/sub/x.o': 'o',
    });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    assert.deepStrictEqual(listing(ctx.scanner.tree()), ['.dockerignore', 'build/', 'build/keep.txt', 'src/', 'src/a.ts']);
    // node_modules is skipped (no exception can reach it); build is walked for its exception.
    assert.strictEqual(ctx.scanner.stats().directoriesRead, 3); // root, build, src: build/sub cannot hold keep.txt
  });

  it('hides an excluded directory until something below it is re-included', async () => {
    write(dir, { '.dockerignore': 'docs\n!docs/**/*.md\n', 'docs/a.txt': 'x', 'docs/img/b.png': 'y' });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    assert.deepStrictEqual(listing(ctx.scanner.tree()), ['.dockerignore']);
    const changed = nextChange(ctx);
    write(dir, { 'docs/img/c.md': 'z' });
    await changed;
    await ctx.scanner.whenIdle();
    assert.deepStrictEqual(listing(ctx.scanner.tree()), ['.dockerignore', 'docs/', 'docs/img/', 'docs/img/c.md']);
  });

  it('prefers <Dockerfile>.dockerignore next to the Dockerfile over .dockerignore', async () => {
    write(dir, { '.dockerignore': 'a.txt\n', 'a.txt': 'a', 'b.txt': 'b', 'docker/api.Dockerfile': 'FROM scratch\n', 'docker/api.Dockerfile.dockerignore': 'b.txt\n' });
    ctx = openBuildContext({ contextDir: dir, dockerfilePath: path.join(dir, 'docker/api.Dockerfile') });
    await ctx.ready;
    const names = listing(ctx.scanner.tree());
    assert.ok(names.includes('a.txt') && !names.includes('b.txt'), names.join(','));
    assert.strictEqual(ctx.scanner.ignoreFile()?.file, path.join(dir, 'docker/api.Dockerfile.dockerignore'));
  });

  it('follows file-system events: new, changed, removed files and directories', async () => {
    write(dir, { 'a.txt': 'aaa', 'd/x': 'x' });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    const before = ctx.scanner.stats().directoriesRead;
    write(dir, { 'b.txt': 'bb' });
    fs.writeFileSync(path.join(dir, 'a.txt'), 'a'.repeat(10));
    await until(() => ctx?.scanner.tree()?.children?.get('b.txt') !== undefined && ctx.scanner.tree()?.children?.get('a.txt')?.size === 10);
    assert.strictEqual(ctx.scanner.tree()?.children?.get('a.txt')?.size, 10);
    write(dir, { 'e/f/g.txt': 'g' });
    await until(() => listing(ctx?.scanner.tree()).includes('e/f/g.txt'));
    assert.ok(listing(ctx.scanner.tree()).includes('e/f/g.txt'));
    fs.rmSync(path.join(dir, 'd'), { recursive: true });
    await until(() => !listing(ctx?.scanner.tree()).includes('d/'));
    assert.ok(!listing(ctx.scanner.tree()).includes('d/x'));
    // Only the new directories were read, never the whole tree again.
    assert.ok(ctx.scanner.stats().directoriesRead - before <= 3, String(ctx.scanner.stats().directoriesRead - before));
  });

  it('rescans when .dockerignore changes', async () => {
    write(dir, { 'a.txt': 'a', 'b.txt': 'b' });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    write(dir, { '.dockerignore': 'a.txt\n' });
    await until(() => !listing(ctx?.scanner.tree()).includes('a.txt'));
    assert.deepStrictEqual(listing(ctx.scanner.tree()), ['.dockerignore', 'b.txt']);
  });

  it('reports a malformed .dockerignore with its location', async () => {
    write(dir, { '.dockerignore': 'ok\n  [bad\n' });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    const state = ctx.scanner.state();
    assert.strictEqual(state.state, 'error');
    assert.match(state.state === 'error' ? state.message : '', /\.dockerignore:2:3: syntax error in pattern/);
    assert.strictEqual(ctx.reader.tree(), undefined);
  });

  it('answers reads from memory: planning many times never touches the disk', async () => {
    write(dir, Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`pkg${i % 10}/f${i}.txt`, String(i)])));
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    ctx.reader.checksum('.', { excludes: [], parents: false });
    await ctx.reader.settle();
    const before = ctx.scanner.stats();
    let sum: string | undefined;
    for (let i = 0; i < 100; i++) sum = ctx.reader.checksum('pkg*', { excludes: ['*.md'], parents: false });
    assert.ok(sum && /^[0-9a-f]{64}$/.test(sum));
    assert.deepStrictEqual(ctx.scanner.stats(), before);
  });

  it('checksums content, names and modes but not modification times', async () => {
    write(dir, { 'src/a.txt': 'one', 'src/b.txt': 'two', 'other.txt': 'o' });
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    const sum = (): string | undefined => ctx?.reader.checksum('src', { excludes: [], parents: false });
    assert.strictEqual(sum(), undefined, 'not hashed yet');
    await ctx.reader.settle();
    const first = sum();
    assert.ok(first);
    fs.utimesSync(path.join(dir, 'src/a.txt'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    await until(() => sum() !== undefined && ctx?.scanner.tree()?.children?.get('src')?.children?.get('a.txt') !== undefined, 500);
    await ctx.reader.settle();
    await ctx.scanner.whenIdle();
    await ctx.reader.settle();
    assert.strictEqual(sum(), first, 'mtime alone does not change the checksum');
    fs.writeFileSync(path.join(dir, 'src/a.txt'), 'ONE');
    await until(() => {
      const s = sum();
      return s !== undefined && s !== first;
    });
    assert.notStrictEqual(sum(), first);
    assert.strictEqual(ctx.reader.checksum('missing', { excludes: [], parents: false }), undefined);
    assert.notStrictEqual(ctx.reader.checksum('src', { excludes: ['b.txt'], parents: false }), sum());
  });

  it('lists archives ADD would unpack and recognises plain files', async () => {
    write(dir, { 'payload/a.txt': 'hello', 'payload/sub/b.bin': 'x'.repeat(2000), 'notes.gz.txt': 'plain' });
    execFileSync('tar', ['-czf', path.join(dir, 'p.tar.gz'), '-C', path.join(dir, 'payload'), '.']);
    fs.writeFileSync(path.join(dir, 'fake.tar.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]));
    ctx = openBuildContext({ contextDir: dir });
    await ctx.ready;
    assert.strictEqual(ctx.reader.archive('p.tar.gz').state, 'pending');
    await ctx.reader.settle();
    const listed = ctx.reader.archive('p.tar.gz');
    assert.strictEqual(listed.state, 'archive');
    if (listed.state === 'archive') {
      assert.strictEqual(listed.format, 'tar+gzip');
      assert.deepStrictEqual(listed.entries.filter((e) => e.kind === 'file').map((e) => [e.path, e.size]).sort(), [['a.txt', 5], ['sub/b.bin', 2000]]);
    }
    ctx.reader.archive('notes.gz.txt');
    ctx.reader.archive('fake.tar.gz');
    await ctx.reader.settle();
    assert.strictEqual(ctx.reader.archive('notes.gz.txt').state, 'not-archive');
    assert.notStrictEqual(ctx.reader.archive('fake.tar.gz').state, 'archive');
  });
});
