import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageStore } from '../../../runner/store/imageStore';
import { makeBusyboxRootfs, packRootfs } from '../../fixtures/busyboxRootfs';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol';
import { generatedDockerfile } from '../../../bench/lsp/dockerfiles';
import { LspClient } from '../lspClient';
import { applyEdits } from '../rules/lintText';

let counter = 0;

async function waitForDiagnostics(client: LspClient, uri: string, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const ds = await client.diagnosticsFor(uri);
    if (done(ds)) return ds;
    if (Date.now() > deadline) throw new Error(`no matching diagnostics: ${JSON.stringify(ds.map((d) => d.code))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('code actions over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.stop());

  async function actionsFor(source: string, code: string | RegExp, range?: Range): Promise<{ uri: string; diagnostic: Diagnostic; actions: CodeAction[] }> {
    const uri = `file:///tmp/layerlens-actions-${process.pid}-${++counter}/Dockerfile`;
    await client.open(uri, source);
    const match = (d: Diagnostic) => (typeof code === 'string' ? d.code === code : code.test(String(d.code)));
    const ds = await waitForDiagnostics(client, uri, (all) => all.some(match));
    const diagnostic = ds.find(match) as Diagnostic;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: range ?? diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    return { uri, diagnostic, actions };
  }

  function apply(source: string, uri: string, action: CodeAction | undefined): string {
    assert.ok(action, 'the action exists');
    const edits = action.edit?.changes?.[uri] as TextEdit[] | undefined;
    assert.ok(edits && edits.length > 0);
    return applyEdits(source, edits);
  }

  it('on a large document being planned, answers other requests first and then the actions', async function () {
    this.timeout(120000);
    const uri = `file:///tmp/layerlens-actions-${process.pid}-${++counter}/Dockerfile`;
    const source = generatedDockerfile(12000);
    const lines = source.split('\n');
    const line = lines.findIndex((l) => l.includes('apt-get install -y --no-install-recommends'));
    await client.open(uri, source);
    const order: string[] = [];
    const actions = client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, context: { diagnostics: [] },
    }).then((a) => { order.push('actions'); return a; });
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 1 } });
    order.push('hover');
    const found = await actions;
    assert.deepStrictEqual(order, ['hover', 'actions']);
    // The line's finding (an unpinned package) offers its suppressions, as on a small file.
    assert.ok(found.some((a) => a.title.startsWith('Ignore DL3008 for this instruction')), JSON.stringify(found.map((a) => a.title)));
  });

  it('declares quick fixes', async () => {
    const other = new LspClient();
    try {
      const result = (await other.initialize()) as { capabilities: { codeActionProvider?: { codeActionKinds?: string[] } } };
      assert.deepStrictEqual(result.capabilities.codeActionProvider?.codeActionKinds, ['quickfix', 'refactor.rewrite']);
    } finally {
      await other.stop();
    }
  });

  it('fixes stage name casing (preferred) and links the action to its diagnostic', async () => {
    const source = 'FROM alpine:3.20 AS Builder\n';
    const { uri, diagnostic, actions } = await actionsFor(source, 'StageNameCasing');
    const fix = actions.find((a) => a.isPreferred);
    assert.strictEqual(fix?.kind, 'quickfix');
    assert.deepStrictEqual(fix?.diagnostics?.[0].range, diagnostic.range);
    assert.strictEqual(apply(source, uri, fix), 'FROM alpine:3.20 AS builder\n');
  });

  it('converts CMD to exec form', async () => {
    const source = 'FROM node:22\nCMD node server.js\n';
    const { uri, actions } = await actionsFor(source, 'JSONArgsRecommended');
    assert.strictEqual(apply(source, uri, actions.find((a) => a.isPreferred)), 'FROM node:22\nCMD ["node", "server.js"]\n');
  });

  it('adds --no-install-recommends and the apt lists cleanup', async () => {
    const source = 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl=7.88.1-10\n';
    const rec = await actionsFor(source, 'AptNoInstallRecommends');
    assert.strictEqual(apply(source, rec.uri, rec.actions.find((a) => a.isPreferred)), 'FROM debian:12\nRUN apt-get update \\\n && apt-get install --no-install-recommends -y curl=7.88.1-10\n');
    const lists = await actionsFor(source, 'AptListsNotCleaned');
    assert.strictEqual(apply(source, lists.uri, lists.actions.find((a) => a.isPreferred)), 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\n');
  });

  it('replaces ADD with COPY', async () => {
    const source = 'FROM alpine:3.20\nADD src/ /app/\n';
    const { uri, actions } = await actionsFor(source, 'AddInsteadOfCopy');
    assert.strictEqual(apply(source, uri, actions.find((a) => a.title === 'Replace ADD with COPY')), 'FROM alpine:3.20\nCOPY src/ /app/\n');
  });

  it('inserts a hadolint ignore comment above the instruction, or extends an existing one', async () => {
    const source = 'FROM debian:12\n  RUN apt-get install -y --no-install-recommends curl\n';
    const { uri, actions } = await actionsFor(source, 'AptPinVersions');
    const ignore = actions.find((a) => a.title.startsWith('Ignore DL3008 for this instruction'));
    const fixed = apply(source, uri, ignore);
    assert.strictEqual(fixed, 'FROM debian:12\n  # hadolint ignore=DL3008\n  RUN apt-get install -y --no-install-recommends curl\n');
    const again = 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install curl\n';
    const second = await actionsFor(again, 'AptAssumeYes');
    assert.strictEqual(apply(again, second.uri, second.actions.find((a) => a.title.startsWith('Ignore DL3014 for this instruction'))), 'FROM debian:12\n# hadolint ignore=DL3008,DL3014\nRUN apt-get install curl\n');
  });

  it('skips a BuildKit check for the file through # check=skip', async () => {
    const source = '# syntax=docker/dockerfile:1\n# check=error=true\nFROM alpine:3.20 AS Builder\n';
    const { uri, actions } = await actionsFor(source, 'StageNameCasing');
    const skip = actions.find((a) => a.title.startsWith('Skip StageNameCasing in this file'));
    assert.strictEqual(apply(source, uri, skip), '# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing;error=true\nFROM alpine:3.20 AS Builder\n');
    const plain = 'FROM alpine:3.20 AS Builder\n';
    const first = await actionsFor(plain, 'StageNameCasing');
    assert.strictEqual(apply(plain, first.uri, first.actions.find((a) => a.title.startsWith('Skip'))), '# check=skip=StageNameCasing\nFROM alpine:3.20 AS Builder\n');
  });

  it('offers shellcheck fixes mapped into the Dockerfile and the SC suppression', async () => {
    const source = 'FROM debian:12\nRUN echo hello \\\n    && ls $DIR\n';
    const { uri, actions } = await actionsFor(source, 'SC2086');
    assert.strictEqual(apply(source, uri, actions.find((a) => a.title.includes("shellcheck's fix"))), 'FROM debian:12\nRUN echo hello \\\n    && ls "$DIR"\n');
    assert.strictEqual(apply(source, uri, actions.find((a) => a.title.startsWith('Ignore SC2086 for this instruction'))), 'FROM debian:12\n# hadolint ignore=SC2086\nRUN echo hello \\\n    && ls $DIR\n');
    assert.strictEqual(apply(source, uri, actions.find((a) => a.title.startsWith('Ignore SC2086 in this file'))), '# hadolint global ignore=SC2086\nFROM debian:12\nRUN echo hello \\\n    && ls $DIR\n');
  });

  it('answers with nothing for a range without problems', async () => {
    const uri = `file:///tmp/layerlens-actions-${process.pid}-${++counter}/Dockerfile`;
    await client.open(uri, 'FROM alpine:3.20\nCOPY a /a\n');
    await client.diagnosticsFor(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, context: { diagnostics: [] } });
    assert.deepStrictEqual(actions, []);
  });
});

describe('code actions over stdio: pinning base images from the local store', () => {
  let client: LspClient;
  let storeDir: string;
  let digest: string;
  let tagged: string;
  before(async function () {
    this.timeout(60000);
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-actions-store-'));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-actions-rootfs-'));
    const tarball = packRootfs(makeBusyboxRootfs(path.join(work, 'rootfs')), path.join(work, 'rootfs.tar'));
    const store = await ImageStore.open(storeDir);
    digest = (await store.importRootfsTarball(tarball, 'actions-test/busybox:latest')).manifestDigest;
    tagged = (await store.importRootfsTarball(tarball, 'actions-test/busybox:1.36')).manifestDigest;
    fs.rmSync(work, { recursive: true, force: true });
    const previous = process.env.LAYERLENS_STORE;
    process.env.LAYERLENS_STORE = storeDir;
    try {
      client = new LspClient();
    } finally {
      if (previous === undefined) delete process.env.LAYERLENS_STORE;
      else process.env.LAYERLENS_STORE = previous;
    }
    await client.initialize();
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  async function actionsUntil(uri: string, range: Range, found: (a: CodeAction[]) => CodeAction | undefined): Promise<CodeAction> {
    const deadline = Date.now() + 10000;
    for (;;) {
      const diagnostics = await client.diagnosticsFor(uri);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
      const hit = found(actions);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no such action: ${JSON.stringify(actions.map((a) => a.title))}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  it('pins a latest base image to the digest the store knows (quick fix of BaseImageLatestTag)', async () => {
    const uri = `file:///tmp/layerlens-actions-pin-${process.pid}/Dockerfile`;
    const source = 'FROM actions-test/busybox:latest\nRUN true\n';
    await client.open(uri, source);
    const range = { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } };
    const fix = await actionsUntil(uri, range, (as) => as.find((a) => a.kind === 'quickfix' && a.title.startsWith('Pin to digest')));
    assert.strictEqual(fix.diagnostics?.[0].code, 'BaseImageLatestTag');
    assert.strictEqual(applyEdits(source, fix.edit?.changes?.[uri] as TextEdit[]), `FROM actions-test/busybox:latest@${digest}\nRUN true\n`);
  });

  it('offers pinning a tagged base image as a rewrite', async () => {
    const uri = `file:///tmp/layerlens-actions-pin2-${process.pid}/Dockerfile`;
    const source = 'FROM actions-test/busybox:1.36 AS base\n';
    await client.open(uri, source);
    const rewrite = await actionsUntil(uri, { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, (as) => as.find((a) => a.kind === 'refactor.rewrite'));
    assert.match(rewrite.title, /^Pin actions-test\/busybox:1\.36 to digest sha256:/);
    assert.strictEqual(applyEdits(source, rewrite.edit?.changes?.[uri] as TextEdit[]), `FROM actions-test/busybox:1.36@${tagged} AS base\n`);
  });
});
