import * as assert from 'assert';
import type { DocumentHighlight } from 'vscode-languageserver-protocol';
import { LspClient } from '../lspClient';

const dockerfile = [
  'FROM alpine AS base',               // 0
  'ARG NAME=world',                    // 1
  'RUN echo "hello $NAME"',            // 2
  'COPY <<\'EOF\' /greeting',          // 3
  '$NAME stays literal here',          // 4
  'EOF',                               // 5
  'ENV NAME=${NAME}-x',                // 6
  'RUN echo $NAME',                    // 7
  'FROM base',                         // 8
  '',
].join('\n');

describe('document highlight', () => {
  let client: LspClient;
  const uri = 'file:///tmp/highlight/Dockerfile';
  const highlightsAt = (line: number, character: number) =>
    client.request<DocumentHighlight[] | null>('textDocument/documentHighlight', { textDocument: { uri }, position: { line, character } });
  before(async () => {
    client = new LspClient();
    await client.initialize();
    await client.open(uri, dockerfile);
  });
  after(() => client.stop());

  it('marks the ARG as written, its uses as read, and a use in a quoted heredoc as text', async () => {
    const found = await highlightsAt(2, 18);
    assert.deepStrictEqual(found?.map((h) => [h.range.start.line, h.range.start.character, h.kind]), [
      [1, 4, 3], [2, 17, 2], [4, 1, 1], [6, 11, 2],
    ]);
  });

  it('keeps the ENV that shadows the ARG apart from it', async () => {
    const found = await highlightsAt(7, 11);
    assert.deepStrictEqual(found?.map((h) => [h.range.start.line, h.range.start.character, h.kind]), [[6, 4, 3], [7, 10, 2]]);
  });

  it('highlights a stage name and FROM <stage>', async () => {
    const found = await highlightsAt(8, 6);
    assert.deepStrictEqual(found?.map((h) => [h.range.start.line, h.range.start.character, h.kind]), [[0, 15, 3], [8, 5, 2]]);
  });

  it('highlights nothing on a keyword', async () => {
    assert.deepStrictEqual(await highlightsAt(0, 1), []);
  });
});
