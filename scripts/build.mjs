// Bundles the extension client, the language server and the CLI with esbuild, and compiles the
// native helper with gcc on Linux. Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: !production, minify: production, logLevel: 'warning',
};
const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['runner/cli.ts'], outfile: 'dist/cli.js' },
];

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
