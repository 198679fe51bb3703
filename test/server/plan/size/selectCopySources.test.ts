import * as assert from 'assert';
import { selectCopySources, type CopySourceOptions } from '../../../../server/plan/size/selectCopySources';
import { treeOf } from './treeOf';

const context = treeOf({
  'a.txt': 3,
  'b.md': 10,
  'home.txt': 1,
  'home.md': 2,
  'homer/x.txt': 4,
  'src/main.go': 100,
  'src/util/u.go': 50,
  'src/util/u_test.go': 60,
  'src/README.md': 7,
  'link': '-> src/main.go',
  'src/self': '-> .',
  'pkgs/a/package.json': 11,
  'pkgs/b/package.json': 12,
  'pkgs/b/index.js': 13,
  'empty/': 'dir',
});

function paths(options: Partial<CopySourceOptions> & Pick<CopySourceOptions, 'sources' | 'destination'>): string[] {
  const selection = selectCopySources(context, { workdir: '/', ...options });
  assert.strictEqual(selection.error, undefined);
  return selection.entries.map((e) => `${e.path}${e.node.kind === 'dir' ? '/' : ''}`);
}

describe('selectCopySources (BuildKit COPY semantics)', () => {
  it('puts a file under a destination that ends with a slash', () => {
    assert.deepStrictEqual(paths({ sources: ['a.txt'], destination: '/app/' }), ['/app/a.txt']);
  });

  it('renames a file when the destination has no trailing slash', () => {
    assert.deepStrictEqual(paths({ sources: ['a.txt'], destination: '/app/config' }), ['/app/config']);
  });

  it('treats a destination known to be a directory as one', () => {
    assert.deepStrictEqual(paths({ sources: ['a.txt'], destination: '/app', isDirectory: (p) => p === '/app' }), ['/app/a.txt']);
  });

  it('resolves a relative destination against WORKDIR, and "." as a directory', () => {
    assert.deepStrictEqual(paths({ sources: ['a.txt'], destination: '.', workdir: '/srv/app' }), ['/srv/app/a.txt']);
    assert.deepStrictEqual(paths({ sources: ['a.txt'], destination: 'conf/', workdir: '/srv' }), ['/srv/conf/a.txt']);
  });

  it('copies the contents of a directory, not the directory itself', () => {
    assert.deepStrictEqual(paths({ sources: ['src'], destination: '/app' }), [
      '/app/',
      '/app/README.md',
      '/app/main.go',
      '/app/self',
      '/app/util/',
      '/app/util/u.go',
      '/app/util/u_test.go',
    ]);
  });

  it('matches wildcards per directory level and does not search inside a matched directory', () => {
    assert.deepStrictEqual(paths({ sources: ['hom*'], destination: '/d/' }), ['/d/', '/d/home.md', '/d/home.txt', '/d/x.txt']);
    assert.deepStrictEqual(paths({ sources: ['pkgs/*/package.json'], destination: '/d/' }), ['/d/package.json']);
    assert.deepStrictEqual(paths({ sources: ['*.go'], destination: '/d/' }), []);
  });

  it('accepts a wildcard that matches nothing but reports a missing plain source', () => {
    const selection = selectCopySources(context, { sources: ['nothing*', 'missing.txt'], destination: '/d/', workdir: '/' });
    assert.deepStrictEqual(selection.missing, ['missing.txt']);
    assert.deepStrictEqual(selection.entries, []);
  });

  it('follows a symlink given as the source but copies symlinks inside a directory as they are', () => {
    const selection = selectCopySources(context, { sources: ['link'], destination: '/bin/', workdir: '/' });
    assert.deepStrictEqual(selection.entries.map((e) => [e.path, e.node.kind, e.node.size]), [['/bin/link', 'file', 100]]);
    const inner = selectCopySources(context, { sources: ['src'], destination: '/s', workdir: '/' }).entries.find((e) => e.path === '/s/self');
    assert.strictEqual(inner?.node.kind, 'symlink');
  });

  it('merges several directory sources into one destination', () => {
    assert.deepStrictEqual(paths({ sources: ['pkgs/a', 'pkgs/b'], destination: '/p/' }), ['/p/', '/p/index.js', '/p/package.json']);
  });

  it('applies --exclude relative to the copied directory, with exceptions', () => {
    assert.deepStrictEqual(paths({ sources: ['src'], destination: '/app', excludes: ['*.md', 'util/*_test.go'] }), [
      '/app/',
      '/app/main.go',
      '/app/self',
      '/app/util/',
      '/app/util/u.go',
    ]);
    assert.deepStrictEqual(paths({ sources: ['src'], destination: '/app', excludes: ['util', '!util/u.go'] }), [
      '/app/',
      '/app/README.md',
      '/app/main.go',
      '/app/self',
      '/app/util/',
      '/app/util/u.go',
    ]);
  });

  it('applies --exclude to what a wildcard matched (COPY --exclude=*.txt hom* /mydir/)', () => {
    assert.deepStrictEqual(paths({ sources: ['hom*'], destination: '/mydir/', excludes: ['*.txt'] }), ['/mydir/', '/mydir/home.md']);
  });

  it('keeps parent directories with --parents, from the root or from a /./ pivot', () => {
    assert.deepStrictEqual(paths({ sources: ['pkgs/*/package.json'], destination: '/app/', parents: true }), [
      '/app/pkgs/',
      '/app/pkgs/a/',
      '/app/pkgs/a/package.json',
      '/app/pkgs/b/',
      '/app/pkgs/b/package.json',
    ]);
    assert.deepStrictEqual(paths({ sources: ['pkgs/./b/index.js'], destination: '/app/', parents: true }), ['/app/b/', '/app/b/index.js']);
  });

  it('copies a whole directory with --parents and silently skips what does not exist', () => {
    assert.deepStrictEqual(paths({ sources: ['src/util', 'nope.txt'], destination: '/x/', parents: true }), [
      '/x/src/',
      '/x/src/util/',
      '/x/src/util/u.go',
      '/x/src/util/u_test.go',
    ]);
  });

  it('reports a malformed --exclude pattern as the build would fail', () => {
    const selection = selectCopySources(context, { sources: ['src'], destination: '/app', workdir: '/', excludes: ['[z-'] });
    assert.match(selection.error ?? '', /--exclude: syntax error in pattern/);
  });
});
