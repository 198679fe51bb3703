// The bundled CLI's dispatcher (dist/cli.js): commands load lazily from group bundles, and a
// command's usage error is still one line (CliError recognised across bundles).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { commands } from '../../runner/commands';

const CLI = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LAYERLENS_STORE: '/nonexistent/layerlens-cli-test' } });
}

describe('layerlens CLI dispatch', function () {
  this.timeout(20000);

  it('lists every command with its summary', () => {
    const r = cli(['--help']);
    assert.strictEqual(r.status, 0);
    for (const name of Object.keys(commands)) assert.match(r.stdout, new RegExp(`^  ${name} +\\S`, 'm'), name);
    assert.strictEqual(r.stdout.split('\n').filter((l) => l.startsWith('  ')).length, Object.keys(commands).length);
  });

  it('refuses unknown commands, including Object.prototype names, with exit code 2', () => {
    for (const name of ['nope', 'toString', 'constructor']) {
      const r = cli([name]);
      assert.strictEqual(r.status, 2, name);
      assert.match(r.stderr, new RegExp(`^layerlens: unknown command '${name}'`));
    }
  });

  for (const [args, message] of [
    [['run'], /^layerlens run: run needs an image/],
    [['run', '--bogus'], /^layerlens run: unknown flag: --bogus/],
    [['ps', '-x'], /^layerlens ps: unknown flag: -x/],
  ] as const) {
    it(`prints a usage error from a lazily loaded bundle as one line: ${args.join(' ')}`, () => {
      const r = cli([...args]);
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, message);
      assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('loads only the containers bundle for run', () => {
    const script = `const cli = require(${JSON.stringify(CLI)}); cli.runCli(['run']).then(() => {
      process.stdout.write(JSON.stringify(Object.keys(require.cache).map((f) => require('path').basename(f))));
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const loaded = JSON.parse(r.stdout) as string[];
    assert.ok(loaded.includes('cli-containers.js'), loaded.join(' '));
    assert.ok(!loaded.includes('cli-tools.js') && !loaded.includes('cli-images.js'), loaded.join(' '));
  });

  it('loads only the small lsp bundle for lsp (the language server starts without the other commands)', () => {
    // Without a transport flag lsp stops with a usage error, after its bundle was loaded.
    const script = `const cli = require(${JSON.stringify(CLI)}); cli.runCli(['lsp']).then((status) => {
      process.stdout.write(JSON.stringify({ status, loaded: Object.keys(require.cache).map((f) => require('path').basename(f)) }));
    });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const { status, loaded } = JSON.parse(r.stdout) as { status: number; loaded: string[] };
    assert.strictEqual(status, 2);
    assert.ok(loaded.includes('cli-lsp.js'), loaded.join(' '));
    assert.ok(!loaded.some((f) => /^cli-(tools|images|containers)\.js$/.test(f)), loaded.join(' '));
  });
});
