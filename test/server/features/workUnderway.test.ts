import * as assert from 'assert';
import { WorkUnderway } from '../../../server/features/workUnderway';

describe('WorkUnderway', () => {
  it('is idle for a key once every piece of work begun for it has ended (each end counts once)', async () => {
    const work = new WorkUnderway();
    const first = work.begin('a');
    const second = work.begin('a');
    const other = work.begin('b');
    assert.strictEqual(work.generation, 3);
    first();
    first();
    assert.strictEqual(work.isIdle(['a']), false, 'one piece is still open');
    let idle = false;
    const waited = work.idle(['a']).then(() => { idle = true; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.strictEqual(idle, false);
    second();
    await waited;
    assert.strictEqual(work.isIdle(['a']), true);
    assert.strictEqual(work.isIdle(['a', 'b']), false, 'other keys are apart');
    other();
    assert.strictEqual(work.isIdle(['a', 'b']), true);
  });
});
