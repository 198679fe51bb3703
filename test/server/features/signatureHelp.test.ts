import * as assert from 'assert';
import { LspClient } from '../lspClient';

interface Signature { label: string; parameters: { label: [number, number] }[] }
type Help = { signatures: Signature[]; activeSignature: number; activeParameter: number } | null;

function marked(text: string): { text: string; position: { line: number; character: number } } {
  const at = text.indexOf('|');
  const before = text.slice(0, at).split('\n');
  return { text: text.slice(0, at) + text.slice(at + 1), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

let documents = 0;
async function helpAt(client: LspClient, source: string): Promise<Help> {
  const { text, position } = marked(source);
  const uri = `file:///tmp/signature-${++documents}/Dockerfile`;
  await client.open(uri, text);
  return client.request<Help>('textDocument/signatureHelp', { textDocument: { uri }, position });
}

/** The label of the highlighted parameter. */
function active(help: Help): string {
  assert.ok(help);
  const signature = help.signatures[help.activeSignature];
  const [start, end] = signature.parameters[help.activeParameter].label;
  return signature.label.slice(start, end);
}

describe('signature help over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    const result = (await client.initialize()) as { capabilities: { signatureHelpProvider?: { triggerCharacters?: string[] } } };
    assert.deepStrictEqual(result.capabilities.signatureHelpProvider?.triggerCharacters, [' ']);
  });
  after(() => client.stop());

  it('shows COPY with its flags and moves from the sources to the destination', async () => {
    const first = await helpAt(client, 'FROM busybox\nCOPY |');
    assert.ok(first);
    assert.match(first.signatures[0].label, /^COPY \[--from=<stage\|image\|context>\] .*\[--parents\] \[--exclude=<pattern>\] <src>\.\.\. <dest>$/);
    assert.strictEqual(active(first), '<src>...');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nCOPY a.txt |')), '<dest>');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nCOPY a.txt b.txt /d|st/')), '<dest>');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nCOPY a.t|xt b.txt /dst/')), '<src>...');
  });

  it('highlights the flag under the cursor', async () => {
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nCOPY --chm|od=755 a /a')), '[--chmod=<perms>]');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nRUN --mount=type=ca|che true')), '[--mount=type=<bind|cache|tmpfs|secret|ssh>[,<option>=<value>...]]');
  });

  it('walks through FROM image, AS and the stage name', async () => {
    assert.strictEqual(active(await helpAt(client, 'FROM busy|box')), '<image>[:<tag>|@<digest>]');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox |')), 'AS');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox AS |')), '<name>');
  });

  it('covers the HEALTHCHECK form and a nested ONBUILD instruction', async () => {
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nHEALTHCHECK |')), 'CMD | NONE');
    assert.strictEqual(active(await helpAt(client, 'FROM busybox\nHEALTHCHECK CMD wget -q|')), '<command>');
    const nested = await helpAt(client, 'FROM busybox\nONBUILD COPY a |');
    assert.ok(nested);
    assert.match(nested.signatures[0].label, /^COPY /);
    assert.strictEqual(active(nested), '<dest>');
  });

  it('answers nothing on the keyword itself or outside instructions', async () => {
    assert.strictEqual(await helpAt(client, 'FROM busybox\nCO|PY a /a'), null);
    assert.strictEqual(await helpAt(client, 'FROM busybox\n\n|'), null);
  });
});
