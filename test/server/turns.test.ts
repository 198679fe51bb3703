import * as assert from 'assert';
import * as net from 'net';
import { PassThrough } from 'stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { afterReceivedMessages, givingWayTo, nextTurn, pauseWhileWriting, REQUEST_QUIET_MS, requestAnswered, runStepsInTurns } from '../../server/turns';

/** A JSON-RPC message framed as it goes over a stream. */
function frame(message: object): string {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

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

describe('turns: a large response being written', () => {
  it('background turns wait until the output stream has drained', async () => {
    const output = new PassThrough({ highWaterMark: 1024 });
    pauseWhileWriting(output);
    try {
      await new Promise((resolve) => setTimeout(resolve, REQUEST_QUIET_MS + 5));
      assert.strictEqual(output.write(Buffer.alloc(64 * 1024)), false, 'the write exceeds the buffer');
      let turned = false;
      const turn = nextTurn().then(() => { turned = true; });
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.strictEqual(turned, false, 'no turn while the response waits to be read');
      output.resume();
      await turn;
      assert.strictEqual(output.writableNeedDrain, false);
    } finally {
      pauseWhileWriting(undefined);
    }
  });
});

describe('turns: requests that came with an edit go first', () => {
  for (const [how, separate] of [['in one chunk', false], ['written right after it', true]] as const) {
    it(`a request ${how} is answered, and its answer written, before the edit's validation starts`, async () => {
      const toServer = new PassThrough();
      const toClient = new PassThrough();
      const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
      const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
      const order: string[] = [];
      // As the diagnostics feature does: the edit schedules its validation at once (timer 0),
      // and the validation lets the messages already received go first. Applying an edit takes
      // a while (the server updates the document and its model), so the timer is due by the next turn.
      server.onNotification('edit', () => {
        setTimeout(() => void afterReceivedMessages().then(() => order.push('validation')), 0);
        const busyUntil = performance.now() + 3;
        while (performance.now() < busyUntil) { /* applying the edit */ }
      });
      server.onRequest('complete', () => {
        order.push('request');
        return 'done';
      });
      toClient.on('data', () => void (order.includes('written') || order.push('written')));
      server.listen();
      client.listen();
      try {
        const edit = frame({ method: 'edit', params: {} });
        const request = frame({ id: 1, method: 'complete', params: {} });
        if (separate) {
          toServer.write(edit);
          await new Promise((resolve) => setImmediate(resolve));
          toServer.write(request);
        } else {
          toServer.write(edit + request);
        }
        const deadline = Date.now() + 2000;
        while (order.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        // The answer is written out before the validation starts, too (the writer sends it a turn later).
        assert.deepStrictEqual(order, ['request', 'written', 'validation']);
      } finally {
        server.dispose();
        client.dispose();
      }
    });
  }
});

describe('turns: work in turns steps aside for messages read meanwhile', () => {
  it('no slice of a running task comes between an edit and the request read with it', async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = createMessageConnection(givingWayTo(new StreamMessageReader(toServer)), new StreamMessageWriter(toClient));
    const order: string[] = [];
    server.onNotification('edit', () => void order.push('edit'));
    server.onRequest('complete', () => {
      order.push('request');
      return 'done';
    });
    server.listen();
    let stop = false;
    // A validation in turns: each step is a 3 ms slice.
    function* slices(): Generator<void, void> {
      while (!stop) {
        const busyUntil = performance.now() + 3;
        while (performance.now() < busyUntil) { /* planning */ }
        order.push('slice');
        yield;
      }
    }
    const task = runStepsInTurns(slices(), () => !stop, 1);
    try {
      await new Promise((resolve) => setTimeout(resolve, REQUEST_QUIET_MS + 20));
      toServer.write(frame({ method: 'edit', params: {} }) + frame({ id: 1, method: 'complete', params: {} }));
      const deadline = Date.now() + 2000;
      while (!order.includes('request') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      const between = order.slice(order.indexOf('edit'), order.indexOf('request') + 1);
      assert.deepStrictEqual(between, ['edit', 'request']);
      assert.ok(order.indexOf('edit') > 0, 'the task was running when the messages came');
    } finally {
      stop = true;
      await task;
      server.dispose();
    }
  });
});

describe('turns: work in turns steps aside as soon as a message\'s bytes come in', () => {
  /** Two ends of a real socket: bytes written on one come in on the other in the poll phase, as stdin's do. */
  async function socketPair(): Promise<[net.Socket, net.Socket, () => void]> {
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as net.AddressInfo;
    const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
    const client = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const server = await accepted;
    client.setNoDelay(true);
    return [client, server, () => { client.destroy(); server.destroy(); listener.close(); }];
  }

  for (const [title, withInput] of [
    ['its input watched, a message written during a slice is dispatched before any other slice', true],
    ['only its messages watched, a slice more runs first (what watching the input removes)', false],
  ] as const) {
    it(title, async () => {
      const [client, serverEnd, close] = await socketPair();
      const server = createMessageConnection(givingWayTo(new StreamMessageReader(serverEnd), withInput ? serverEnd : undefined), new StreamMessageWriter(serverEnd));
      const order: string[] = [];
      server.onNotification('edit', () => void order.push('edit'));
      server.listen();
      let stop = false;
      let slices = 0;
      // A validation in turns whose 20th slice is where the client writes (its bytes come in
      // while the slice runs, as a keystroke does).
      function* work(): Generator<void, void> {
        while (!stop) {
          slices++;
          if (slices === 20) {
            client.write(frame({ method: 'edit', params: {} }));
            order.push('written');
          }
          const busyUntil = performance.now() + 3;
          while (performance.now() < busyUntil) { /* planning */ }
          order.push('slice');
          yield;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, REQUEST_QUIET_MS + 5));
      const task = runStepsInTurns(work(), () => !stop, 1);
      try {
        const deadline = Date.now() + 2000;
        while (!order.includes('edit') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
        const between = order.slice(order.indexOf('written'), order.indexOf('edit') + 1);
        if (withInput) assert.deepStrictEqual(between, ['written', 'slice', 'edit']);
        // Watching messages only, the reader's turn comes after a slice more: what the input watch removes.
        else assert.ok(between.filter((e) => e === 'slice').length >= 2, between.join(' '));
      } finally {
        stop = true;
        await task;
        server.dispose();
        close();
      }
    });
  }
});
