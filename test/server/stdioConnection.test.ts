// The stdio connection exits when its client goes away, as vscode-languageserver's own does.
import * as assert from 'assert';
import { spawn } from 'child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { CLI } from './lspClient';

async function exitCodeAfter(shutdownFirst: boolean): Promise<number | null> {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio']);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    if (shutdownFirst) await connection.sendRequest('shutdown');
    child.stdin.end();
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 10000))]);
    assert.notStrictEqual(code, 'running', 'the server is still running 10 s after stdin closed');
    return code === 'running' ? null : code;
  } finally {
    connection.dispose();
    child.kill();
  }
}

describe('the stdio connection', () => {
  it('exits with status 1 when the client closes stdin without a shutdown request', async () => {
    assert.strictEqual(await exitCodeAfter(false), 1);
  });

  it('exits with status 0 when the client closes stdin after a shutdown request', async () => {
    assert.strictEqual(await exitCodeAfter(true), 0);
  });
});
