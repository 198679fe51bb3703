import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { editDelay, keystrokeDelay } from '../../../server/features/diagnostics';
import { settledMethod, type SettledResult } from '../../../server/features/settledRequest';
import { LspClient } from '../lspClient';

/** Waits until the latest published diagnostics of `uri` satisfy `done`. */
async function diagnosticsWhen(client: LspClient, uri: string, done: (d: Diagnostic[]) => boolean, ms = 15000): Promise<Diagnostic[]> {
  const deadline = Date.now() + ms;
  let last: Diagnostic[] = [];
  while (Date.now() < deadline) {
    last = await client.diagnosticsFor(uri, undefined, Math.max(100, deadline - Date.now()));
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`diagnostics of ${uri} never matched; last: ${JSON.stringify(last.map((d) => [d.code, d.range.start.line, d.message]))}`);
}

const codesOf = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : '');

let counter = 0;
function uriFor(name = 'Dockerfile'): string {
  return `file:///tmp/layerlens-diagnostics-${process.pid}-${++counter}/${name}`;
}

describe('diagnostics over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('publishes BuildKit checks, best practices and layer rules with exact ranges and documentation links', async () => {
    const uri = uriFor();
    await client.open(uri, 'FROM debian:12 AS Build\nRUN apt-get update && apt-get install -y curl\nCOPY big.tar.gz /tmp/\nRUN rm /tmp/big.tar.gz\nCMD run --now\n');
    const ds = await client.diagnosticsFor(uri, 1);
    const byCode = (c: string) => ds.find((d) => d.code === c);
    const casing = byCode('StageNameCasing');
    assert.ok(casing, JSON.stringify(codesOf(ds)));
    assert.deepStrictEqual(casing.range, { start: { line: 0, character: 18 }, end: { line: 0, character: 23 } });
    assert.strictEqual(casing.severity, 2);
    assert.strictEqual(casing.codeDescription?.href, 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/');
    assert.strictEqual(casing.source, 'layerlens');
    const pin = byCode('AptPinVersions');
    assert.ok(pin);
    assert.deepStrictEqual(pin.range, { start: { line: 1, character: 41 }, end: { line: 1, character: 45 } });
    assert.strictEqual(pin.codeDescription?.href, 'https://github.com/hadolint/hadolint/wiki/DL3008');
    assert.ok(byCode('AptNoInstallRecommends'));
    assert.ok(byCode('AptListsNotCleaned'));
    assert.ok(byCode('JSONArgsRecommended'));
    const wasted = byCode('FileDeletedInLaterLayer');
    assert.ok(wasted);
    assert.deepStrictEqual(wasted.range, { start: { line: 3, character: 7 }, end: { line: 3, character: 22 } });
  });

  it('honours # check=skip=...;error=true and hadolint ignore pragmas', async () => {
    const uri = uriFor();
    await client.open(uri, [
      '# check=skip=JSONArgsRecommended;error=true',
      '# hadolint global ignore=DL3015',
      'FROM debian:12 AS Build',
      '# hadolint ignore=DL3008',
      'RUN apt-get install -y curl',
      'RUN apt-get install -y git',
      'CMD run --now',
    ].join('\n'));
    const ds = await client.diagnosticsFor(uri, 1);
    const codes = codesOf(ds);
    assert.ok(!codes.includes('JSONArgsRecommended'), codes.join());
    assert.ok(!codes.includes('AptNoInstallRecommends'), codes.join());
    assert.deepStrictEqual(ds.filter((d) => d.code === 'AptPinVersions').map((d) => d.range.start.line), [5]);
    assert.strictEqual(ds.find((d) => d.code === 'StageNameCasing')?.severity, 1, 'error=true makes build checks errors');
    assert.strictEqual(ds.find((d) => d.code === 'AptPinVersions')?.severity, 2, 'best practices keep their severity');
  });

  it('applies severities from the workspace settings and re-publishes when they change', async () => {
    const uri = uriFor();
    await client.open(uri, 'FROM debian:12 AS Build\nRUN apt-get install -y curl\n');
    await diagnosticsWhen(client, uri, (ds) => codesOf(ds).includes('AptPinVersions'));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: { diagnostics: { severity: { DL3008: 'off', StageNameCasing: 'hint' } } } } });
    const ds = await diagnosticsWhen(client, uri, (d) => !codesOf(d).includes('AptPinVersions'));
    assert.strictEqual(ds.find((d) => d.code === 'StageNameCasing')?.severity, 4);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { layerlens: {} } });
    await diagnosticsWhen(client, uri, (d) => codesOf(d).includes('AptPinVersions'));
  });

  it('merges shellcheck findings for RUN bodies (continuations and heredocs) when they are ready', async () => {
    const uri = uriFor();
    const source = 'FROM debian:12\nRUN echo hello \\\n    && ls $DIR\nRUN <<EOF\nfor f in $(ls); do echo "$f"; done\nEOF\n';
    await client.open(uri, source);
    const ds = await diagnosticsWhen(client, uri, (d) => codesOf(d).includes('SC2086') && codesOf(d).includes('SC2045'));
    const quote = ds.find((d) => d.code === 'SC2086');
    assert.ok(quote);
    assert.strictEqual(quote.source, 'shellcheck');
    assert.deepStrictEqual(quote.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 14 } });
    assert.strictEqual(quote.codeDescription?.href, 'https://www.shellcheck.net/wiki/SC2086');
    const loop = ds.find((d) => d.code === 'SC2045');
    assert.deepStrictEqual(loop?.range.start, { line: 4, character: 9 });
  });

  it('never publishes one problem twice, and a fatal parse error does not hide the rest', async () => {
    const uri = uriFor();
    await client.open(uri, 'FROM debian:12 AS Build\nRUN echo a && \\\n\n    echo b\nRUN apt-get install -y curl\nRUN <<EOF\nnever closed\n');
    const ds = await client.diagnosticsFor(uri, 1);
    const keys = ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
    assert.deepStrictEqual(keys, [...new Set(keys)]);
    assert.strictEqual(ds.filter((d) => d.code === 'NoEmptyContinuation').length, 1);
    assert.ok(ds.some((d) => d.severity === 1), 'the parse error is there');
    assert.ok(codesOf(ds).includes('StageNameCasing') && codesOf(ds).includes('AptPinVersions'), codesOf(ds).join());
  });

  it('reads .dockerignore and secrets from the build context on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-context-'));
    try {
      fs.writeFileSync(path.join(dir, '.dockerignore'), 'notes/\n');
      fs.mkdirSync(path.join(dir, 'config'));
      fs.writeFileSync(path.join(dir, 'config', '.env'), 'TOKEN=x\n');
      fs.mkdirSync(path.join(dir, 'notes'));
      const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
      await client.open(uri, '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY notes/todo.txt /n\nCOPY . /app\n');
      const ds = await diagnosticsWhen(client, uri, (d) => codesOf(d).includes('CopyIgnoredFile') && codesOf(d).includes('SecretCopiedIntoLayer'));
      assert.strictEqual(ds.find((d) => d.code === 'CopyIgnoredFile')?.range.start.line, 2);
      const secret = ds.find((d) => d.code === 'SecretCopiedIntoLayer');
      assert.strictEqual(secret?.range.start.line, 3);
      assert.match(secret ? text(secret) : '', /config\/\.env/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves shellcheck findings out when shellcheck is not installed', async () => {
    const saved = process.env.LAYERLENS_SHELLCHECK;
    process.env.LAYERLENS_SHELLCHECK = '';
    const bare = new LspClient();
    if (saved === undefined) delete process.env.LAYERLENS_SHELLCHECK;
    else process.env.LAYERLENS_SHELLCHECK = saved;
    try {
      await bare.initialize();
      const uri = uriFor();
      await bare.open(uri, 'FROM debian:12\nRUN ls $DIR\nRUN cd /tmp\n');
      const first = await bare.diagnosticsFor(uri, 1);
      assert.ok(codesOf(first).includes('CdInRun'), 'the rules still run');
      await new Promise((r) => setTimeout(r, 1500));
      const later = await bare.diagnosticsFor(uri, 1);
      assert.ok(!later.some((d) => d.source === 'shellcheck'), codesOf(later).join());
    } finally {
      await bare.stop();
    }
  });

  it('updates on edits and clears on close', async () => {
    const uri = uriFor();
    await client.open(uri, 'FROM debian:12 AS Build\n');
    assert.ok(codesOf(await client.diagnosticsFor(uri, 1)).includes('StageNameCasing'));
    await client.change(uri, 'FROM debian:12 AS build\n', 2);
    assert.ok(!codesOf(await client.diagnosticsFor(uri, 2)).includes('StageNameCasing'));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await diagnosticsWhen(client, uri, (d) => d.length === 0);
  });

  it('publishes a burst of edits for its last version, and never an older version after a newer one', async () => {
    const typing = new LspClient();
    const uri = uriFor();
    const versions: number[] = [];
    const latest = new Map<number, Diagnostic[]>();
    // (This handler replaces LspClient's own, so diagnosticsFor is not used here.)
    typing.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      if (p.uri !== uri || p.version === undefined) return;
      versions.push(p.version);
      latest.set(p.version, p.diagnostics);
    });
    const published = async (version: number) => {
      const deadline = Date.now() + 10000;
      while (!latest.has(version) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const diagnostics = latest.get(version);
      if (!diagnostics) throw new Error(`version ${version} never published; published: ${versions.join(' ')}`);
      return diagnostics;
    };
    try {
      await typing.initialize();
      await typing.open(uri, 'FROM debian:12 AS build\nWORKDIR /src\n');
      await published(1);
      let text = 'FROM debian:12 AS build\nWORKDIR /src\n';
      // Two bursts of typing with a pause between them: each ends with its last version published.
      for (const [first, last] of [[2, 9], [10, 17]]) {
        await new Promise((r) => setTimeout(r, 300));
        for (let version = first; version <= last; version++) {
          text += version % 2 ? 'ENV A=1\n' : 'FROM build AS Next\n';
          await typing.change(uri, text, version);
        }
        const diagnostics = await published(last);
        // Every even version added a stage named in mixed case.
        assert.strictEqual(diagnostics.filter((d) => d.code === 'StageNameCasing').length, Math.floor(last / 2), JSON.stringify(diagnostics.map((d) => d.code)));
      }
      await new Promise((r) => setTimeout(r, 300));
      assert.deepStrictEqual(versions, [...versions].sort((a, b) => a - b), `published in order: ${versions.join(' ')}`);
      assert.strictEqual(versions[versions.length - 1], 17);
    } finally {
      await typing.stop();
    }
  });

  it('on a large document being planned, answers hover at once and publishes an edit made meanwhile', async function () {
    this.timeout(120000);
    const opening = new LspClient();
    const published: { at: number; version?: number; codes: string[] }[] = [];
    const uri = uriFor();
    opening.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      if (p.uri === uri) published.push({ at: Date.now(), version: p.version, codes: codesOf(p.diagnostics) });
    });
    try {
      await opening.initialize();
      // 80 stages of 100 instructions: planned in turns, a stage or more per turn.
      const lines = ['FROM debian:12 AS s0', 'FRM oops'];
      for (let stage = 0; stage < 80; stage++) {
        if (stage > 0) lines.push(`FROM s${stage - 1} AS s${stage}`);
        for (let i = 0; i < 49; i++) lines.push(`ENV V${i}=${stage}`, 'RUN apt-get install -y curl');
      }
      const text = lines.join('\n') + '\n';
      await opening.open(uri, text);
      while (published.length === 0) await new Promise((r) => setTimeout(r, 5));
      // The parser's problems are out; the plan is being made. A hover on a RUN is answered from
      // the syntax tree meanwhile, saying its layer figures follow.
      const hover = await opening.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 1 } });
      assert.match(hover.contents.value, /\*\*RUN\*\*/);
      assert.match(hover.contents.value, /Layer figures follow once the plan/);
      // An edit (the unknown instruction fixed) is published for its own version; the opened
      // version's plan is dropped, and the edited version's complete diagnostics follow.
      await opening.change(uri, text.replace('FRM oops', 'RUN true'), 2);
      const deadline = Date.now() + 100000;
      while (!published.some((p) => p.version === 2 && p.codes.includes('AptPinVersions')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const firstOfTwo = published.findIndex((p) => p.version === 2);
      assert.ok(firstOfTwo > 0, JSON.stringify(published.map((p) => [p.version, p.codes.length])));
      assert.ok(published.slice(firstOfTwo).every((p) => p.version === 2), 'nothing of the opened version after the edit');
      const complete = published.find((p) => p.version === 2 && p.codes.includes('AptPinVersions'));
      assert.ok(complete && !complete.codes.includes(published[0].codes[0]), JSON.stringify(published[0].codes));
      // Once planned, the same hover shows the step's layer figures.
      const planned = await opening.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 1 } });
      assert.match(planned.contents.value, /Step \d+ of stage/);
    } finally {
      await opening.stop();
    }
  });

  it('on a large document publishes parser problems first, then everything (same version)', async function () {
    this.timeout(120000);
    const staged = new LspClient();
    const published: { version?: number; codes: string[]; messages: string[] }[] = [];
    staged.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      if (p.uri === uri) published.push({ version: p.version, codes: codesOf(p.diagnostics), messages: p.diagnostics.map(text) });
    });
    const uri = uriFor();
    try {
      await staged.initialize();
      const lines = ['FROM debian:12 AS base', 'FRM oops', 'COPY big.tar.gz /tmp/', 'RUN rm /tmp/big.tar.gz'];
      for (let i = 0; lines.length < 4000; i++) lines.push(`ENV V${i}=${i}`, 'RUN apt-get install -y curl');
      await staged.open(uri, lines.join('\n') + '\n');
      const deadline = Date.now() + 100000;
      while (!published.some((p) => p.codes.includes('AptPinVersions')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(published.length >= 2, JSON.stringify(published.map((p) => p.codes.length)));
      const [first, second] = published;
      // First: the parser's problems only (the unknown instruction), for version 1.
      assert.strictEqual(first.version, 1);
      assert.ok(first.codes.length > 0 && first.codes.every((c) => !['AptPinVersions', 'FileDeletedInLaterLayer'].includes(c)), JSON.stringify(first.codes));
      // Then everything, the parser's problems included.
      assert.strictEqual(second.version, 1);
      for (const code of first.codes) assert.ok(second.codes.includes(code), code);
      assert.ok(second.codes.includes('AptPinVersions') && second.codes.includes('FileDeletedInLaterLayer'), JSON.stringify(second.codes.slice(0, 20)));
    } finally {
      await staged.stop();
    }
  });
  it('after a close and a reopen at the same version, publishes nothing of the closed text', async function () {
    this.timeout(120000);
    const reopening = new LspClient();
    const uri = uriFor();
    let reopened = false;
    let beforeClose = 0;
    const afterReopen: { version?: number; codes: string[] }[] = [];
    reopening.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      if (p.uri !== uri) return;
      if (reopened) afterReopen.push({ version: p.version, codes: codesOf(p.diagnostics) });
      else beforeClose++;
    });
    try {
      await reopening.initialize();
      // A large document, still being planned in turns when it is closed.
      const lines = ['FROM debian:12 AS s0'];
      for (let stage = 0; stage < 80; stage++) {
        if (stage > 0) lines.push(`FROM s${stage - 1} AS s${stage}`);
        for (let i = 0; i < 49; i++) lines.push(`ENV V${i}=${stage}`, 'RUN apt-get install -y curl');
      }
      await reopening.open(uri, lines.join('\n') + '\n');
      // Its parser's problems (none) are published before the plan is made in turns.
      while (beforeClose === 0) await new Promise((r) => setTimeout(r, 1));
      await reopening.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      reopened = true;
      // The same URI again, at version 1 again (an editor numbers each opening from 1), other text.
      await reopening.open(uri, 'FROM debian:12 AS Build\n');
      const settled = await reopening.request<SettledResult | null>(settledMethod, { uri });
      assert.deepStrictEqual(settled, { version: 1 });
      assert.ok(afterReopen.length > 0, 'the reopened text was published');
      for (const p of afterReopen) assert.ok(!p.codes.includes('AptPinVersions'), `a publication after reopening has the closed text's findings: ${JSON.stringify(p.codes.slice(0, 10))}`);
      assert.deepStrictEqual(afterReopen[afterReopen.length - 1].codes, ['StageNameCasing']);
    } finally {
      await reopening.stop();
    }
  });
});

describe('keystroke debounce', () => {
  it('waits twice what the last validation took, at most 80 ms, and the full 80 ms before any was measured', () => {
    assert.strictEqual(keystrokeDelay(2.4), 5);
    assert.strictEqual(keystrokeDelay(0.2), 0);
    assert.strictEqual(keystrokeDelay(30), 60);
    assert.strictEqual(keystrokeDelay(400), 80);
    assert.strictEqual(keystrokeDelay(undefined), 80);
  });
});

describe('edit delay', () => {
  it('validates the first edit after opening and an edit after a pause at once', () => {
    assert.strictEqual(editDelay(undefined, 400), 0);
    assert.strictEqual(editDelay(80, 400), 0);
    assert.strictEqual(editDelay(11, 5), 0);
  });
  it('makes an edit within the keystroke debounce of the one before wait for the typing to pause', () => {
    assert.strictEqual(editDelay(79, 400), 80);
    assert.strictEqual(editDelay(9, 5), 10);
    assert.strictEqual(editDelay(30, undefined), 80);
  });
});
