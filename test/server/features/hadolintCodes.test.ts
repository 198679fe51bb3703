// hadolint codes in `# hadolint ignore=` pragmas stand for the rule hadolint means by them (its
// src/Hadolint/Rule/DLxxxx.hs), over stdio.
import * as assert from 'assert';
import { LspClient } from '../lspClient';

let counter = 0;

describe('hadolint codes over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  async function codesOf(text: string): Promise<string[]> {
    const uri = `file:///tmp/layerlens-hadolint-${process.pid}-${++counter}/Dockerfile`;
    await client.open(uri, text);
    return (await client.diagnosticsFor(uri)).map((d) => String(d.code));
  }

  it('DL3064 (sensitive data in ARG or ENV) and DL3065 (--platform=$TARGETPLATFORM) silence their BuildKit checks', async () => {
    const text = 'FROM --platform=$TARGETPLATFORM alpine:3.20\nARG GITHUB_TOKEN\n';
    const plain = await codesOf(text);
    assert.ok(plain.includes('RedundantTargetPlatform') && plain.includes('SecretsUsedInArgOrEnv'), plain.join());
    const ignored = await codesOf('# hadolint ignore=DL3065\nFROM --platform=$TARGETPLATFORM alpine:3.20\n# hadolint ignore=DL3064\nARG GITHUB_TOKEN\n');
    assert.ok(!ignored.includes('RedundantTargetPlatform') && !ignored.includes('SecretsUsedInArgOrEnv'), ignored.join());
  });

  it('DL3063 is hadolint\'s "a USER should be set after the last FROM": it does not silence ReservedStageName', async () => {
    const codes = await codesOf('# hadolint ignore=DL3063\nFROM alpine:3.20 AS context\nUSER app\n');
    assert.ok(codes.includes('ReservedStageName'), codes.join());
  });
});
