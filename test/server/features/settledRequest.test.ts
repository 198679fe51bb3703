import * as assert from 'assert';
import { settledMethod, type SettledResult } from '../../../server/features/settledRequest';
import { LspClient } from '../lspClient';

describe('layerlens/settled over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  it('answers once the document is validated and its shellcheck findings are published, with the version', async () => {
    const uri = `untitled:settled-${process.pid}`;
    // A script no other test checks (shellcheck's cache would answer at once).
    await client.open(uri, `FROM scratch\nRUN echo $undefined_${process.pid}_${Date.now()}\n`, 1);
    await client.change(uri, `FROM scratch\nRUN echo $undefined_${process.pid}_${Date.now()}x\n`, 2);
    const settled = await client.request<SettledResult | null>(settledMethod, { uri });
    assert.deepStrictEqual(settled, { version: 2 });
    const published = client.lastDiagnostics(uri);
    assert.strictEqual(published?.version, 2);
    assert.ok(published.diagnostics.some((d) => d.source === 'shellcheck'), JSON.stringify(published.diagnostics.map((d) => d.code)));
  });

  it('answers null for a document that is not open', async () => {
    assert.strictEqual(await client.request<SettledResult | null>(settledMethod, { uri: 'untitled:never-opened' }), null);
  });
});
