// bench/lsp/idleEdits: our server alone on the generated 30,000-line file, each one-line edit made
// only once the server has been quiet (no diagnostics published) for a while: the keystroke case
// of a long editing session, apart from the work after opening. Prints the time to diagnostics
// per edit, then hovers and document symbols. Never fails on time.
//
// With --lines, each edit inserts a line (Enter at the end of the line) or removes it again.
//
//   node out/bench/lsp/idleEdits.js [--edits 4] [--lines] [--quiet-ms 3000] [--cpu-prof DIR] [--cpu-prof-interval US]
import * as os from 'os';
import * as path from 'path';
import { generatedDockerfile, instructionLineNumbers } from './dockerfiles';
import { LspProcess } from './lspProcess';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const edits = Number(option('--edits', '4'));
  const quietMs = Number(option('--quiet-ms', '3000'));
  const profileDir = option('--cpu-prof', '');
  const interval = option('--cpu-prof-interval', '');
  const lineEdits = process.argv.includes('--lines');
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir), ...(interval ? ['--cpu-prof-interval', interval] : [])] : [];
  console.log(`bench/lsp/idleEdits: load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const server = new LspProcess('layerlens', process.execPath, [...profile, path.join(ROOT, 'dist', 'cli.js'), 'lsp', '--stdio']);
  try {
    await server.initialize();
    const text = generatedDockerfile(30000);
    const uri = 'file:///bench/idle-edits/Dockerfile';
    const lines = text.split('\n');
    const instructionLines = instructionLineNumbers(lines);
    const line = instructionLines[Math.floor(instructionLines.length / 2)];
    console.log(`first diagnostics: ${(await server.timeToDiagnostics(uri, 1, () => server.open(uri, text))).toFixed(0)} ms`);
    console.log(`work after opening: quiet after ${((await server.settle(Math.max(quietMs, 6000))) / 1000).toFixed(1)} s`);
    for (let version = 2; version < 2 + edits; version++) {
      // Alternately add and remove a trailing space (or, with --lines, a line break).
      const add = version % 2 === 0;
      const ms = await server.timeToDiagnostics(uri, version, () => lineEdits
        ? server.toggleLineBreak(uri, version, line, lines[line], add)
        : server.toggleTrailingSpace(uri, version, line, lines[line], add));
      console.log(`edit ${version - 1}: diagnostics after ${ms.toFixed(0)} ms (validated at once: the edit follows a pause)`);
      await server.settle(quietMs);
    }
    const hovers: number[] = [];
    for (let k = 0; k < 30; k++) {
      const at = instructionLines[Math.floor((k * instructionLines.length) / 30)];
      hovers.push((await server.time('textDocument/hover', { textDocument: { uri }, position: { line: at, character: 1 } })).ms);
    }
    hovers.sort((a, b) => a - b);
    console.log(`hover: median ${hovers[15].toFixed(2)} ms, 90th percentile ${hovers[27].toFixed(2)} ms, max ${hovers[29].toFixed(1)} ms`);
    const symbols: number[] = [];
    for (let k = 0; k < 4; k++) symbols.push((await server.time('textDocument/documentSymbol', { textDocument: { uri } })).ms);
    console.log(`document symbols: ${symbols.map((s) => s.toFixed(0)).join(', ')} ms`);
    console.log(`resident memory: ${((server.residentBytes() ?? 0) / 1048576).toFixed(0)} MiB; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench/lsp/idleEdits: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
