import * as assert from 'assert';
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver-protocol';
import { SymbolKind } from 'vscode-languageserver-protocol';
import { computeDocumentSymbols } from '../../../server/features/documentSymbols';
import { parseDockerfile } from '../../../server/parser';
import { LspClient } from '../lspClient';

const dockerfile = [
  'ARG VERSION=1.22',                       // 0
  'FROM golang:${VERSION} AS build',        // 1
  'ENV CGO_ENABLED=0 GOOS=linux',           // 2
  'RUN go build \\',                        // 3
  '    -o /out/app .',                      // 4
  'FROM scratch',                           // 5
  'COPY --from=build /out/app /app',        // 6
  'ENTRYPOINT ["/app"]',                    // 7
  '',
].join('\n');

const kindNames = new Map<number, string>(Object.entries(SymbolKind).map(([name, value]) => [value as number, name]));

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [`${'  '.repeat(depth)}${s.name} [${kindNames.get(s.kind)}] ${s.detail ?? ''}`.trimEnd(), ...outline(s.children ?? [], depth + 1)]);
}

describe('document symbols', () => {
  it('outlines stages containing their instructions, with ARG/ENV keys inside (hierarchical client)', async () => {
    const client = new LspClient();
    try {
      await client.connection.sendRequest('initialize', {
        processId: process.pid, rootUri: null, capabilities: { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
      });
      await client.connection.sendNotification('initialized', {});
      const uri = 'file:///tmp/symbols/Dockerfile';
      await client.open(uri, dockerfile);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepStrictEqual(outline(symbols), [
        'ARG [Variable] VERSION=1.22',
        '  VERSION [Variable] 1.22',
        'build [Class] FROM golang:${VERSION}',
        '  FROM [Field] golang:${VERSION} AS build',
        '  ENV [Variable] CGO_ENABLED=0 GOOS=linux',
        '    CGO_ENABLED [Variable] 0',
        '    GOOS [Variable] linux',
        '  RUN [Function] go build -o /out/app .',
        'stage 1 [Class] FROM scratch',
        '  FROM [Field] scratch',
        '  COPY [File] --from=build /out/app /app',
        '  ENTRYPOINT [Function] ["/app"]',
      ]);
      const build = symbols[1];
      assert.deepStrictEqual(build.range, { start: { line: 1, character: 0 }, end: { line: 4, character: 17 } });
      assert.deepStrictEqual(build.selectionRange, { start: { line: 1, character: 26 }, end: { line: 1, character: 31 } });
    } finally {
      await client.stop();
    }
  });

  it('gives flat symbols with container names to a client without hierarchy', async () => {
    const client = new LspClient();
    try {
      await client.initialize();
      const uri = 'file:///tmp/symbols-flat/Dockerfile';
      await client.open(uri, dockerfile);
      const symbols = await client.request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri } });
      const copy = symbols.find((s) => s.name === 'COPY');
      assert.ok(copy);
      assert.strictEqual(copy.containerName, 'stage 1');
      assert.deepStrictEqual(copy.location, { uri, range: { start: { line: 6, character: 0 }, end: { line: 6, character: 31 } } });
      assert.deepStrictEqual(symbols.filter((s) => s.kind === SymbolKind.Class).map((s) => s.name), ['build', 'stage 1']);
    } finally {
      await client.stop();
    }
  });

  it('on a large document keeps stages containing every instruction, with names and ranges only', () => {
    const syntax = parseDockerfile(dockerfile);
    const compact = computeDocumentSymbols(syntax, true);
    assert.deepStrictEqual(outline(compact), [
      'ARG [Variable]',
      'build [Class] FROM golang:${VERSION}',
      '  FROM [Field]',
      '  ENV [Variable]',
      '  RUN [Function]',
      'stage 1 [Class] FROM scratch',
      '  FROM [Field]',
      '  COPY [File]',
      '  ENTRYPOINT [Function]',
    ]);
    const full = computeDocumentSymbols(syntax, false);
    assert.deepStrictEqual(compact.map((s) => s.range), full.map((s) => s.range), 'the same stage ranges');
    assert.deepStrictEqual(compact[1].children?.map((c) => c.selectionRange), full[1].children?.map((c) => c.selectionRange));
  });
});
