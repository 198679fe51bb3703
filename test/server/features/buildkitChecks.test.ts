// BuildKit's build checks as `docker build --check` words and triggers them, over stdio: the
// instruction named as written, the secret-name allow list, and CopyIgnoredFile's handling of
// cleaned paths, `!` exceptions and the context root (frontend/dockerfile/dockerfile2llb).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../lspClient';

let counter = 0;

/** Waits until the server published diagnostics with `code` for `uri`; returns those. */
async function findingsOf(client: LspClient, uri: string, code: string): Promise<Diagnostic[]> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const found = (await client.diagnosticsFor(uri)).filter((d) => d.code === code);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`no ${code} diagnostics for ${uri}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('BuildKit checks over stdio', () => {
  let client: LspClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-buildkit-checks-'));
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(text: string): Promise<string> {
    const uri = `file:///tmp/layerlens-buildkit-checks-${process.pid}-${++counter}/Dockerfile`;
    await client.open(uri, text);
    return uri;
  }

  /** Opens a Dockerfile in a build context of its own, with the given .dockerignore. */
  async function openInContext(name: string, dockerignore: string, text: string): Promise<string> {
    const context = path.join(dir, name);
    fs.mkdirSync(context);
    fs.writeFileSync(path.join(context, '.dockerignore'), dockerignore);
    fs.writeFileSync(path.join(context, 'Dockerfile'), text);
    const uri = pathToFileURL(path.join(context, 'Dockerfile')).href;
    await client.open(uri, text);
    return uri;
  }

  it('names the instruction as written in JSONArgsRecommended, MultipleInstructionsDisallowed and LegacyKeyValueFormat', async () => {
    const uri = await open('from alpine:3.20\nenv FOO bar\ncmd echo one\ncmd echo two\n');
    assert.deepStrictEqual((await findingsOf(client, uri, 'LegacyKeyValueFormat')).map((d) => d.message),
      ['"env key=value" should be used instead of legacy "env key value" format']);
    assert.deepStrictEqual((await findingsOf(client, uri, 'MultipleInstructionsDisallowed')).map((d) => d.message),
      ['Multiple cmd instructions should not be used in the same stage because only the last one will be used']);
    assert.deepStrictEqual((await findingsOf(client, uri, 'JSONArgsRecommended')).map((d) => d.message),
      ['JSON arguments recommended for cmd to prevent unintended behavior related to OS signals', 'JSON arguments recommended for cmd to prevent unintended behavior related to OS signals']);
  });

  it('leaves secret-looking names that also name a file or a version alone, as BuildKit does', async () => {
    const uri = await open('FROM alpine:3.20\nARG TOKEN_FILE=/run/secrets/token\nENV AUTH_VERSION=2 PUBLIC_KEY=k\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x\n');
    assert.deepStrictEqual((await findingsOf(client, uri, 'SecretsUsedInArgOrEnv')).map((d) => d.message), [
      'Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")',
      'Do not use ARG or ENV instructions for sensitive data (ENV "DB_PASSWORD")',
    ]);
  });

  it('CopyIgnoredFile quotes the cleaned path and stays silent where a ! exception could re-include the source', async () => {
    const text = [
      '# check=experimental=CopyIgnoredFile',
      'FROM alpine:3.20',
      'COPY ./build/out.txt /a',
      'COPY docs /b',
      'COPY docs/a.md /c',
      'COPY src/*.go /d',
      'COPY . /e',
      '',
    ].join('\n');
    const uri = await openInContext('exceptions', 'build\ndocs\n!docs/keep.md\n', text);
    const found = await findingsOf(client, uri, 'CopyIgnoredFile');
    // docs holds an exception (docs/keep.md), so BuildKit cannot tell statically; docs/a.md can't be re-included.
    assert.deepStrictEqual(found.map((d) => [d.range.start.line, d.message]), [
      [2, 'Attempting to Copy file "build/out.txt" that is excluded by .dockerignore'],
      [4, 'Attempting to Copy file "docs/a.md" that is excluded by .dockerignore'],
    ]);
  });

  it('CopyIgnoredFile reports the context root only when a pattern excludes every root entry', async () => {
    const text = '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY . /app\nCOPY ./ /again\n';
    const everything = await openInContext('everything', '*\n', text);
    assert.deepStrictEqual((await findingsOf(client, everything, 'CopyIgnoredFile')).map((d) => d.message), [
      'Attempting to Copy file "." that is excluded by .dockerignore',
      'Attempting to Copy file "." that is excluded by .dockerignore',
    ]);
    const dotfiles = await openInContext('dotfiles', '.*\nbuild\n', text + 'COPY build /b\n');
    assert.deepStrictEqual((await findingsOf(client, dotfiles, 'CopyIgnoredFile')).map((d) => d.range.start.line), [4]);
  });
});
