import * as assert from 'assert';
import type { Location } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile } from '../../../server/plan';
import { findDefinitions } from '../../../server/features/definition';
import { occurrencesOf } from '../../../server/features/occurrences';
import { LspClient } from '../lspClient';

const dockerfile = [
  'ARG BASE=alpine:3.19',          // 0
  'ARG VERSION=1.2',               // 1
  'FROM ${BASE} AS builder',       // 2
  'ARG VERSION',                   // 3
  'ENV APP_DIR=/app',              // 4
  'RUN echo $VERSION > ${APP_DIR}/v', // 5
  'FROM builder AS test',          // 6
  'RUN cat $APP_DIR/v',            // 7
  'FROM busybox',                  // 8
  'COPY --from=builder /app /app', // 9
  'COPY --from=1 /x /x',           // 10
  'COPY --from=2 /x /x',           // 11
  '',
].join('\n');

function occurrences(text: string) {
  const syntax = parseDockerfile(text);
  return occurrencesOf({ uri: 'file:///x', version: 1, text, syntax, plan: planDockerfile(syntax) });
}

describe('go to definition', () => {
  describe('over stdio', () => {
    let client: LspClient;
    const uri = 'file:///tmp/definition/Dockerfile';
    const definitionAt = (line: number, character: number) =>
      client.request<Location[] | null>('textDocument/definition', { textDocument: { uri }, position: { line, character } });
    before(async () => {
      client = new LspClient();
      await client.initialize();
      await client.open(uri, dockerfile);
    });
    after(() => client.stop());

    it('declares the capability', async () => {
      const other = new LspClient();
      try {
        const init = (await other.initialize()) as { capabilities: { definitionProvider?: boolean } };
        assert.strictEqual(init.capabilities.definitionProvider, true);
      } finally {
        await other.stop();
      }
    });

    it('goes from a global ARG used in FROM to its declaration', async () => {
      const found = await definitionAt(2, 8);
      assert.deepStrictEqual(found, [{ uri, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 8 } } }]);
    });

    it('goes from a use inside a stage to the re-declaration there, and to the global default it inherits', async () => {
      const found = await definitionAt(5, 11);
      assert.ok(found);
      assert.deepStrictEqual(found.map((l) => l.range.start.line), [3, 1]);
    });

    it('goes from ${ENV} to the ENV, also in a stage built FROM that stage', async () => {
      assert.deepStrictEqual((await definitionAt(5, 23))?.map((l) => l.range), [{ start: { line: 4, character: 4 }, end: { line: 4, character: 11 } }]);
      assert.deepStrictEqual((await definitionAt(7, 10))?.map((l) => l.range.start), [{ line: 4, character: 4 }]);
    });

    it('goes from FROM <stage> and COPY --from=<stage> to the stage name', async () => {
      const stageName = { start: { line: 2, character: 16 }, end: { line: 2, character: 23 } };
      assert.deepStrictEqual((await definitionAt(6, 7))?.map((l) => l.range), [stageName]);
      assert.deepStrictEqual((await definitionAt(9, 15))?.map((l) => l.range), [stageName]);
    });

    it('goes from --from=<index> to that stage (named or not)', async () => {
      assert.deepStrictEqual((await definitionAt(10, 12))?.map((l) => l.range.start), [{ line: 6, character: 16 }]);
      // Stage 2 has no name: its FROM keyword.
      assert.deepStrictEqual((await definitionAt(11, 12))?.map((l) => l.range), [{ start: { line: 8, character: 0 }, end: { line: 8, character: 4 } }]);
    });

    it('answers null away from any symbol', async () => {
      assert.strictEqual(await definitionAt(8, 8), null);
    });
  });

  it('does not resolve an ARG of another stage (ARGs are per stage)', () => {
    const occ = occurrences('FROM a AS one\nARG X=1\nFROM b\nRUN echo $X\n');
    assert.deepStrictEqual(findDefinitions(occ, { line: 3, character: 11 }), []);
  });

  it('resolves a variable to the latest definition before the use', () => {
    const occ = occurrences('FROM a\nENV X=1\nRUN echo $X\nENV X=2\nRUN echo $X\n');
    assert.deepStrictEqual(findDefinitions(occ, { line: 2, character: 10 }).map((r) => r.start.line), [1]);
    assert.deepStrictEqual(findDefinitions(occ, { line: 4, character: 10 }).map((r) => r.start.line), [3]);
  });

  it('ENV wins over an ARG of the same name', () => {
    const occ = occurrences('FROM a\nARG X=1\nENV X=${X}\nRUN echo $X\n');
    // The value of ENV X refers to the ARG (evaluated before the ENV applies); later uses to the ENV.
    assert.deepStrictEqual(findDefinitions(occ, { line: 2, character: 8 }).map((r) => r.start.line), [1]);
    assert.deepStrictEqual(findDefinitions(occ, { line: 3, character: 10 }).map((r) => r.start.line), [2]);
  });

  it('does not give a stage ARG to CMD (only ENV exists at run time)', () => {
    const occ = occurrences('FROM a\nARG X=1\nENV Y=2\nCMD echo $X $Y\n');
    assert.deepStrictEqual(findDefinitions(occ, { line: 3, character: 10 }), []);
    assert.deepStrictEqual(findDefinitions(occ, { line: 3, character: 13 }).map((r) => r.start.line), [2]);
  });
});
