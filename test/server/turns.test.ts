import * as assert from 'assert';
import { PassThrough } from 'stream';
import { nextTurn, pauseWhileWriting, REQUEST_QUIET_MS, requestAnswered } from '../../server/turns';

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
