import * as assert from 'assert';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol';
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

  it('declares quick fixes', async () => {
    const other = new LspClient();
    try {
      const result = (await other.initialize()) as { capabilities: { codeActionProvider?: { codeActionKinds?: string[] } } };
      assert.deepStrictEqual(result.capabilities.codeActionProvider?.codeActionKinds, ['quickfix']);
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
