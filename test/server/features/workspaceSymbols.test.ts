import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { SymbolInformation } from 'vscode-languageserver-protocol';
import { findDockerfiles, isDockerfileName, matchesQuery } from '../../../server/features/workspaceSymbols';
import { LspClient } from '../lspClient';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('workspace symbols', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-ws-'));
    write(path.join(root, 'Dockerfile'), 'FROM golang AS compile\nFROM alpine AS runtime\n');
    write(path.join(root, 'services', 'api', 'api.Dockerfile'), 'FROM node:20 AS deps\nFROM deps AS api-build\n');
    write(path.join(root, '.devcontainer', 'Containerfile'), 'FROM debian AS devbox\n');
    write(path.join(root, 'node_modules', 'pkg', 'Dockerfile'), 'FROM x AS ignored-dependency\n');
    write(path.join(root, 'README.md'), 'FROM not AS dockerfile\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('recognises Dockerfile names as the extension does', () => {
    assert.deepStrictEqual(
      ['Dockerfile', 'Containerfile', 'Dockerfile.dev', 'prod.Dockerfile', 'x.containerfile', 'dockerfile', 'Dockerfile-old', 'README.md'].filter(isDockerfileName),
      ['Dockerfile', 'Containerfile', 'Dockerfile.dev', 'prod.Dockerfile', 'x.containerfile', 'dockerfile'],
    );
  });

  it('matches queries as a case-insensitive subsequence', () => {
    assert.ok(matchesQuery('api-build', 'abld'));
    assert.ok(matchesQuery('api-build', ''));
    assert.ok(!matchesQuery('api-build', 'bz'));
  });

  it('finds Dockerfiles within limits, skipping dependencies', async () => {
    const all = await findDockerfiles(root);
    assert.deepStrictEqual(all.map((f) => path.relative(root, f)).sort(), ['.devcontainer/Containerfile', 'Dockerfile', 'services/api/api.Dockerfile']);
    const shallow = await findDockerfiles(root, { maxDepth: 0, maxEntries: 100, maxFiles: 10, maxFileBytes: 1e6, timeBudgetMs: 1000, ttlMs: 0 });
    assert.deepStrictEqual(shallow.map((f) => path.relative(root, f)), ['Dockerfile']);
    const few = await findDockerfiles(root, { maxDepth: 10, maxEntries: 100, maxFiles: 1, maxFileBytes: 1e6, timeBudgetMs: 1000, ttlMs: 0 });
    assert.strictEqual(few.length, 1);
  });

  it('lists the stages of open documents and of Dockerfiles in the workspace folders, over stdio', async () => {
    const client = new LspClient();
    try {
      client.connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(root).toString(), name: 'ws' }]);
      const init = (await client.connection.sendRequest('initialize', {
        processId: process.pid, rootUri: pathToFileURL(root).toString(), capabilities: { workspace: { workspaceFolders: true } },
        workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
      })) as { capabilities: { workspaceSymbolProvider?: boolean } };
      assert.strictEqual(init.capabilities.workspaceSymbolProvider, true);
      await client.connection.sendNotification('initialized', {});
      // The open (edited) version of the root Dockerfile wins over the file on disk.
      const openUri = pathToFileURL(path.join(root, 'Dockerfile')).toString();
      await client.open(openUri, 'FROM golang AS compile-edited\nFROM alpine AS runtime\n');
      await client.open('untitled:Untitled-1', 'FROM busybox AS scratchpad\n');
      // An open file in a subfolder is labelled by its path in the workspace, like the scanned ones.
      const nestedUri = pathToFileURL(path.join(root, '.devcontainer', 'Containerfile')).toString();
      await client.open(nestedUri, 'FROM debian AS devbox-open\n');

      const all = await client.request<SymbolInformation[]>('workspace/symbol', { query: '' });
      const names = all.map((s) => `${s.name} @ ${s.containerName}`).sort();
      assert.deepStrictEqual(names, [
        'api-build @ services/api/api.Dockerfile',
        'compile-edited @ Dockerfile',
        'deps @ services/api/api.Dockerfile',
        'devbox-open @ .devcontainer/Containerfile',
        'runtime @ Dockerfile',
        'scratchpad @ untitled:Untitled-1',
      ]);
      const api = all.find((s) => s.name === 'api-build');
      assert.deepStrictEqual(api?.location, {
        uri: pathToFileURL(path.join(root, 'services', 'api', 'api.Dockerfile')).toString(),
        range: { start: { line: 1, character: 13 }, end: { line: 1, character: 22 } },
      });

      const filtered = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'deps' });
      assert.deepStrictEqual(filtered.map((s) => s.name), ['deps']);

      // A file changed on disk is re-read (its list of files is cached, its content is not stale).
      write(path.join(root, 'services', 'api', 'api.Dockerfile'), 'FROM node:20 AS dependencies\n');
      const changed = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'deps' });
      assert.deepStrictEqual(changed.map((s) => s.name), ['dependencies']);
    } finally {
      await client.stop();
    }
  });
});
