// The language server never fails on any text: mutated realistic Dockerfiles and pathological
// inputs, opened and edited over stdio, with every request the server offers at many positions.
// A feature that throws answers with a fallback and logs an error: the test fails on either.
import * as assert from 'assert';
import { seeded, mutate, pathological, realisticDockerfile } from '../parser/dockerfileGenerator';
import { LspClient } from '../lspClient';

interface LogMessage { type: number; message: string }

/** Answers a server may give when the document changed meanwhile or the request was cancelled. */
const BENIGN_ERRORS = new Set([-32801 /* ContentModified */, -32800 /* RequestCancelled */]);
/** Rename refuses, with its reason, where it would be unsafe or nothing is there to rename. */
const REFUSAL = -32600; // InvalidRequest

function positionsIn(text: string, rnd: () => number, count: number): { line: number; character: number }[] {
  const lines = text.split(/\r?\n/);
  const out: { line: number; character: number }[] = [{ line: 0, character: 0 }, { line: lines.length, character: 3 }];
  for (let i = 0; i < count; i++) {
    const line = Math.floor(rnd() * lines.length);
    const length = lines[line].length;
    // Mostly inside the line; sometimes at its end or past it (clients do send those).
    const character = rnd() < 0.8 ? Math.floor(rnd() * (length + 1)) : length + Math.floor(rnd() * 4);
    out.push({ line, character });
  }
  return out;
}

function requestsAt(uri: string, text: string, position: { line: number; character: number }): [string, unknown][] {
  const textDocument = { uri };
  const lineCount = text.split('\n').length;
  const range = { start: { line: Math.max(0, position.line - 2), character: 0 }, end: { line: position.line + 2, character: position.character } };
  return [
    ['textDocument/hover', { textDocument, position }],
    ['textDocument/completion', { textDocument, position }],
    ['textDocument/signatureHelp', { textDocument, position }],
    ['textDocument/definition', { textDocument, position }],
    ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
    ['textDocument/documentHighlight', { textDocument, position }],
    ['textDocument/prepareRename', { textDocument, position }],
    ['textDocument/rename', { textDocument, position, newName: 'renamed_1' }],
    ['textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }],
    ['textDocument/onTypeFormatting', { textDocument, position, ch: '\n', options: { tabSize: 4, insertSpaces: true } }],
    ['textDocument/rangeFormatting', { textDocument, range, options: { tabSize: 2, insertSpaces: false } }],
    ['textDocument/inlayHint', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } } }],
  ];
}

function documentRequests(uri: string): [string, unknown][] {
  const textDocument = { uri };
  return [
    ['textDocument/documentSymbol', { textDocument }],
    ['textDocument/foldingRange', { textDocument }],
    ['textDocument/semanticTokens/full', { textDocument }],
    ['textDocument/formatting', { textDocument, options: { tabSize: 4, insertSpaces: true } }],
    ['textDocument/documentLink', { textDocument }],
    ['textDocument/codeLens', { textDocument }],
    ['layerlens/layerPlan', { textDocument }],
  ];
}

describe('every feature on any text, over stdio', function () {
  this.timeout(120000);
  let client: LspClient;
  const errors: LogMessage[] = [];
  before(async () => {
    client = new LspClient();
    client.connection.onNotification('window/logMessage', (m: LogMessage) => {
      if (m.type === 1) errors.push(m);
    });
    await client.initialize();
  });
  after(() => client.stop());

  const inputs: [string, string][] = [
    ...Array.from({ length: 30 }, (_, i): [string, string] => [`mutated realistic #${i}`, mutate(realisticDockerfile(1000 + 150 * i, i + 1), 1000 + i, 4 + 4 * i)]),
    ...Object.entries(pathological).map(([name, make]): [string, string] => [`pathological ${name}`, make(3000)]),
  ];

  for (const [name, text] of inputs) {
    it(`answers every request without an error: ${name}`, async () => {
      const uri = `file:///tmp/layerlens-any-text-${process.pid}/${name.replace(/\W+/g, '-')}/Dockerfile`;
      const rnd = seeded(text.length);
      await client.open(uri, text);
      // An edit right away (requests then meet a newer version), and another once validated.
      const versions = [text, mutate(text, 7, 4), mutate(text, 11, 9)];
      const failures: string[] = [];
      for (let v = 0; v < versions.length; v++) {
        if (v > 0) await client.change(uri, versions[v], v + 1);
        const asked = [...documentRequests(uri), ...positionsIn(versions[v], rnd, 10).flatMap((p) => requestsAt(uri, versions[v], p))];
        await Promise.all(asked.map(async ([method, params]) => {
          try {
            await client.request(method, params);
          } catch (err) {
            const code = (err as { code?: number }).code;
            const refused = code === REFUSAL && method.endsWith('ename') && err instanceof Error && err.message.length > 0;
            if (code === undefined || (!BENIGN_ERRORS.has(code) && !refused)) failures.push(`${method} ${JSON.stringify(params).slice(0, 160)}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }));
        if (v === 1) await client.diagnosticsFor(uri, 2, 60000);
      }
      await client.diagnosticsFor(uri, versions.length, 60000);
      assert.deepStrictEqual(failures, []);
      assert.deepStrictEqual(errors.map((e) => e.message.split('\n').slice(0, 3).join(' | ')), [], 'the server logged errors');
      assert.ok(client.alive, 'the server is still running');
    });
  }
});
