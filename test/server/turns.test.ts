import * as assert from 'assert';
import { nextTurn, REQUEST_QUIET_MS, requestAnswered } from '../../server/turns';

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
