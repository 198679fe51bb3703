// Bundles the extension client, the language server and the CLI with esbuild, and compiles the
// native helper with gcc on Linux. Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: !production, minify: production, logLevel: 'warning',
};
const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // dist/server.js is the entry (VS Code, `layerlens lsp`); it loads the server through the code cache.
  { entryPoints: ['server/launch.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/server.ts'], outfile: 'dist/language-server.js' },
  ...cliEntries(),
];

/**
 * The CLI: dist/cli.js is only the dispatcher; each command's code is in one of a few group bundles
 * (dist/cli-<group>.js) that it requires on first use, so `layerlens run` loads neither the parser
 * nor the registry client nor the build engine. Commands not named here go to `tools`.
 */
function cliEntries() {
  const groups = {
    containers: ['run', 'start', 'ps', 'logs', 'stop', 'kill', 'rm', 'exec', 'inspect'],
    images: ['pull', 'push', 'images', 'rmi', 'tag', 'import', 'fsck', 'prune'],
    // The language server starts without loading the other commands' code (cli-tools is 0.8 MB).
    lsp: ['lsp'],
  };
  const index = resolve('runner/commands/index.ts');
  const all = [...readFileSync(index, 'utf8').matchAll(/require\('\.\/(\w+)'\)/g)].map((m) => m[1]);
  const groupOf = (name) => Object.keys(groups).find((g) => groups[g].includes(name)) ?? 'tools';
  const members = (group) => all.filter((name) => groupOf(name) === group);
  const lazyGroups = {
    name: 'lazy-command-groups',
    setup(build) {
      build.onResolve({ filter: /^\.\/\w+$/ }, (args) => {
        if (args.importer !== index || args.kind !== 'require-call') return undefined;
        return { path: `./cli-${groupOf(args.path.slice(2))}.js`, external: true };
      });
    },
  };
  const groupEntry = (group) => ({
    stdin: { contents: members(group).map((n) => `export * from './${n}';`).join('\n'), resolveDir: 'runner/commands', sourcefile: `cli-${group}.ts`, loader: 'ts' },
    outfile: `dist/cli-${group}.js`,
  });
  return [
    { entryPoints: ['runner/cli.ts'], outfile: 'dist/cli.js', plugins: [lazyGroups] },
    ...[...Object.keys(groups), 'tools'].map(groupEntry),
  ];
}

function buildNativeHelper() {
  const dir = 'runner/native';
  if (process.platform !== 'linux' || !existsSync(dir)) return;
  const sources = readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => join(dir, f));
  if (sources.length === 0) return;
  const out = 'dist/layerlens-helper';
  const newest = Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return;
  mkdirSync('dist', { recursive: true });
  const flags = ['-O2', '-Wall', '-Wextra', '-Werror', '-D_GNU_SOURCE', '-o', out, ...sources];
  try {
    execFileSync('gcc', ['-static', ...flags], { stdio: 'inherit' });
  } catch {
    console.warn('build: static link failed, linking the native helper dynamically');
    execFileSync('gcc', flags, { stdio: 'inherit' });
  }
}

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  console.log('build: watching');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  buildNativeHelper();
}
