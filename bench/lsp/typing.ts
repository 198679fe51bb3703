// bench/lsp/typing: a user typing a new line into each bench Dockerfile, one keystroke every
// --interval ms, with a completion request after each keystroke (as an editor asks while typing),
// on our server and on dockerfile-language-server-nodejs. Measures what the typist feels: the
// completion latency while typing, the time from the last keystroke to that version's
// diagnostics, how often diagnostics were published along the way, and the CPU the server used. Prints
// both servers' figures and the ratio; never fails on time.
//
//   node out/bench/lsp/typing.js [--only NAME] [--interval 120] [--text 'ENV TYPED=hello'] [--ours dist/cli.js]
//                                [--no-peer] [--cpu-prof DIR]
import * as os from 'os';
import * as path from 'path';
import { benchDockerfiles, instructionLineNumbers, type BenchDockerfile } from './dockerfiles';
import { LspProcess } from './lspProcess';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

interface Typed {
  completionMedian: number;
  completionP90: number;
  completionMax: number;
  lastKeystrokeToDiagnostics: number | undefined;
  publications: number;
  keystrokes: number;
  cpuMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function typeInto(server: LspProcess, file: BenchDockerfile, slug: string, text: string, intervalMs: number): Promise<Typed> {
  const uri = `file:///bench/typing/${slug}/${server.name}/Dockerfile`;
  const lines = file.text.split('\n');
  const instructionLines = instructionLineNumbers(lines);
  const after = instructionLines[Math.floor(instructionLines.length / 2)];
  await server.timeToDiagnostics(uri, 1, () => server.open(uri, file.text));
  await server.settle(3000);
  const mark = server.publicationMark();
  const cpuBefore = server.cpuMs();
  // Keystroke 1 opens a new line after `after`; each next one adds a character to it.
  const line = after + 1;
  const completions: number[] = [];
  let version = 1;
  let typed = '';
  const pending: Promise<void>[] = [];
  let lastKeystroke = 0;
  for (let k = 0; k <= text.length; k++) {
    version++;
    const at = k === 0 ? { line: after, character: lines[after].length } : { line, character: typed.length };
    const inserted = k === 0 ? '\n' : text[k - 1];
    if (k > 0) typed += inserted;
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: at, end: at }, text: inserted }],
    });
    lastKeystroke = performance.now();
    // The completion is not awaited before the next keystroke: a typist does not wait for it.
    const sent = performance.now();
    pending.push(server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: typed.length } })
      .then(() => void completions.push(performance.now() - sent), () => void completions.push(performance.now() - sent)));
    if (k < text.length) await sleep(intervalMs);
  }
  const waitFrom = performance.now();
  const waited = (await server.timeToDiagnostics(uri, version, () => Promise.resolve())) + (waitFrom - lastKeystroke);
  // A server that does not say which version it validated (the peer) cannot be timed to the last
  // keystroke: its next publication may be of an earlier one.
  const lastKeystrokeToDiagnostics = server.publicationsSince(mark, uri, true) > 0 ? waited : undefined;
  await Promise.all(pending);
  const cpuAfter = server.cpuMs();
  completions.sort((a, b) => a - b);
  const at = (p: number) => completions[Math.min(completions.length - 1, Math.floor(p * completions.length))];
  return {
    completionMedian: at(0.5), completionP90: at(0.9), completionMax: completions[completions.length - 1],
    lastKeystrokeToDiagnostics, publications: server.publicationsSince(mark, uri), keystrokes: text.length + 1,
    cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
  };
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const only = option('--only', '').toLowerCase();
  const intervalMs = Number(option('--interval', '120'));
  const text = option('--text', 'ENV TYPED=hello');
  const ourCli = path.resolve(option('--ours', path.join(ROOT, 'dist', 'cli.js')));
  const withPeer = !process.argv.includes('--no-peer');
  const profileDir = option('--cpu-prof', '');
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [];
  const peerBin = path.join(path.dirname(require.resolve('dockerfile-language-server-nodejs/package.json', { paths: [ROOT] })), 'bin', 'docker-langserver');
  console.log(`bench/lsp/typing: "${text}" typed one character every ${intervalMs} ms, a completion request after each; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const file of benchDockerfiles().filter((f) => !only || f.name.toLowerCase().includes(only))) {
    const slug = file.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const results: Typed[] = [];
    const servers: [string, string[]][] = [['layerlens', [...profile, ourCli, 'lsp', '--stdio']]];
    if (withPeer) servers.push(['dockerfile-ls', [peerBin, '--stdio']]);
    for (const [name, args] of servers) {
      const server = new LspProcess(name, process.execPath, args);
      try {
        await server.initialize();
        results.push(await typeInto(server, file, slug, text, intervalMs));
      } finally {
        await server.stop();
      }
    }
    const [ours, peer] = results as [Typed, Typed | undefined];
    const rows: [string, number | undefined, number | undefined, 'ms' | 'count'][] = [
      ['completion while typing (median)', ours.completionMedian, peer?.completionMedian, 'ms'],
      ['completion while typing (90th percentile)', ours.completionP90, peer?.completionP90, 'ms'],
      ['completion while typing (max)', ours.completionMax, peer?.completionMax, 'ms'],
      ['diagnostics after the last keystroke', ours.lastKeystrokeToDiagnostics, peer?.lastKeystrokeToDiagnostics, 'ms'],
      ['server CPU while typing (children included)', ours.cpuMs, peer?.cpuMs, 'ms'],
      [`diagnostics published (${ours.keystrokes} keystrokes)`, ours.publications, peer?.publications, 'count'],
    ];
    console.log(`\n${file.name}: ${ours.keystrokes} keystrokes`);
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`  ${''.padEnd(width)}  ${'layerlens'.padStart(12)}  ${'dockerfile-ls'.padStart(13)}  ${'peer/ours'.padStart(9)}`);
    for (const [label, a, b, unit] of rows) {
      const show = (v: number | undefined) => (unit === 'count' ? String(v ?? 'n/a') : formatMs(v));
      const ratio = unit === 'ms' && a !== undefined && b !== undefined && a > 0 ? `${(b / a).toFixed(1)}x` : '';
      console.log(`  ${label.padEnd(width)}  ${show(a).padStart(12)}  ${show(b).padStart(13)}  ${ratio.padStart(9)}`);
    }
  }
  console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((err: unknown) => {
  console.error(`bench/lsp/typing: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
