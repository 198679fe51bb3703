import * as assert from 'assert';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { messagesHandled, nextTurn, REQUEST_QUIET_MS, requestAnswered } from '../../server/turns';

describe('turns: background work gives way to a burst of requests', () => {
  it('the next turn comes at once when no request was answered lately', async () => {
    await new Promise((resolve) => setTimeout(resolve, REQUEST_QUIET_MS + 5));
    const started = performance.now();
    await nextTurn();
    assert.ok(performance.now() - started < REQUEST_QUIET_MS - 5, `took ${performance.now() - started} ms`);
  });

  it('right after a request is answered, the next turn waits the quiet time (once)', async () => {
    requestAnswered();
    const started = performance.now();
    await nextTurn();
    assert.ok(performance.now() - started >= REQUEST_QUIET_MS - 2, `took ${performance.now() - started} ms`);
    const again = performance.now();
    await nextTurn();
    assert.ok(performance.now() - again < REQUEST_QUIET_MS - 5, 'the quiet time has passed');
  });
});

describe('turns: messages that came during a long synchronous step', () => {
  it('are handled (over a real socket, by vscode-jsonrpc) before messagesHandled resolves', async () => {
    const socketPath = path.join(os.tmpdir(), `layerlens-turns-${process.pid}.sock`);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect(socketPath);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const socket = await accepted;
    const connection = createMessageConnection(new StreamMessageReader(socket), new StreamMessageWriter(socket));
    const seen: number[] = [];
    connection.onNotification('edit', (params: { version: number }) => {
      seen.push(params.version);
    });
    connection.listen();
    try {
      // Sent while a synchronous step (a plan) runs: the notification sits in the socket.
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'edit', params: { version: 2 } });
      client.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const until = performance.now() + 30;
      while (performance.now() < until) { /* busy */ }
      await messagesHandled();
      assert.deepStrictEqual(seen, [2]);
    } finally {
      connection.dispose();
      client.destroy();
      socket.destroy();
      server.close();
    }
  });
});
