import * as assert from 'assert';
import { LspClient } from '../lspClient';

interface Hint {
  position: { line: number; character: number };
  label: string | { value: string; command?: { command: string; arguments?: unknown[] } }[];
  paddingLeft?: boolean;
}

describe('inlay hints over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    const result = (await client.initialize()) as { capabilities: { inlayHintProvider?: object } };
    assert.ok(result.capabilities.inlayHintProvider);
  });
  after(() => client.stop());

  const text = [
    'FROM scratch AS base',          // 0
    'COPY a.txt /a.txt',             // 1
    'ENV A=1',                       // 2
    'RUN ["/bin/sh", "-c", "echo a \\', // 3
    '  && echo b"]',                 // 4
    'FROM base',                     // 5
    'COPY b.txt /b.txt',             // 6
    '',
  ].join('\n');

  async function hintsIn(uri: string, startLine: number, endLine: number): Promise<Hint[]> {
    return client.request<Hint[]>('textDocument/inlayHint', {
      textDocument: { uri }, range: { start: { line: startLine, character: 0 }, end: { line: endLine, character: 0 } },
    });
  }

  it('ends each layer step\'s last line with its size, image size and cache state', async () => {
    const uri = 'file:///tmp/hints-all/Dockerfile';
    await client.open(uri, text);
    const hints = await hintsIn(uri, 0, 8);
    assert.deepStrictEqual(hints.map((h) => h.position), [
      { line: 1, character: 17 }, { line: 4, character: 13 }, { line: 6, character: 17 },
    ]);
    for (const hint of hints) {
      assert.ok(Array.isArray(hint.label));
      assert.match(hint.label[0].value, /^(~?[\d.]+ [kMG]?B|size unknown) · Σ ((≥ )?[\d.]+ [kMG]?B|size unknown) · will build$/);
      assert.strictEqual(hint.label[0].command?.command, 'layerlens.showLayerPlan');
      assert.strictEqual(hint.paddingLeft, true);
    }
    assert.deepStrictEqual(hints[2].label[0] && (hints[2].label as { command?: { arguments?: unknown[] } }[])[0].command?.arguments, [{ uri, stageIndex: 1, stepIndex: 1 }]);
  });

  it('answers only for the requested lines', async () => {
    const uri = 'file:///tmp/hints-range/Dockerfile';
    await client.open(uri, text);
    assert.deepStrictEqual((await hintsIn(uri, 2, 5)).map((h) => h.position.line), [4]);
    assert.deepStrictEqual(await hintsIn(uri, 5, 5), []);
  });
});
