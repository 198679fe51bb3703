import * as assert from 'assert';
import { LspClient } from './lspClient';

describe('the language server over stdio (layerlens lsp --stdio)', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('declares hover and incremental sync', async () => {
    const other = new LspClient();
    try {
      const result = (await other.initialize()) as { capabilities: { hoverProvider?: boolean; textDocumentSync?: number } };
      assert.strictEqual(result.capabilities.hoverProvider, true);
      assert.strictEqual(result.capabilities.textDocumentSync, 2);
    } finally {
      await other.stop();
    }
  });

  it('publishes a located diagnostic for an unknown instruction', async () => {
    const uri = 'file:///tmp/unknown/Dockerfile';
    await client.open(uri, 'FROM busybox\n  FORM busybox\n');
    const diagnostics = await client.diagnosticsFor(uri, 1);
    const unknown = diagnostics.find((d) => /FORM/i.test(typeof d.message === 'string' ? d.message : d.message.value));
    assert.ok(unknown, JSON.stringify(diagnostics));
    assert.deepStrictEqual(unknown.range.start, { line: 1, character: 2 });
  });

  it('clears the diagnostic when the edit fixes the line', async () => {
    const uri = 'file:///tmp/fixed/Dockerfile';
    await client.open(uri, 'FROM busybox\nFORM busybox\n');
    assert.ok((await client.diagnosticsFor(uri, 1)).length > 0);
    await client.change(uri, 'FROM busybox\nFROM busybox\n', 2);
    const after = await client.diagnosticsFor(uri, 2);
    assert.deepStrictEqual(after.filter((d) => d.severity === 1), []);
  });

  it('answers hover on an instruction keyword with its documentation', async () => {
    const uri = 'file:///tmp/hover/Dockerfile';
    await client.open(uri, 'FROM busybox\ncopy a /a\n');
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri }, position: { line: 1, character: 2 },
    });
    assert.ok(hover);
    assert.match(hover.contents.value, /\*\*COPY\*\*/);
    assert.match(hover.contents.value, /creates a filesystem layer/);
  });

  it('survives arbitrary bytes and keeps answering', async () => {
    const uri = 'file:///tmp/garbage/Dockerfile';
    let text = '';
    for (let i = 0; i < 4000; i++) text += String.fromCharCode((i * 7919) % 0x3000);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
    assert.ok(hover === null || typeof hover === 'object');
    assert.ok(client.alive, 'the server process is still running');
  });
});
