import * as assert from 'assert';
import { LookupCache } from '../../../server/packages/lookupCache';

describe('LookupCache', () => {
  it('answers pending during a first load, then the value, changing its version each time', async () => {
    const cache = new LookupCache<number>();
    const v0 = cache.version();
    assert.strictEqual(cache.get('k', async () => 7).state, 'pending');
    const v1 = cache.version();
    assert.notStrictEqual(v1, v0);
    await cache.settled();
    assert.deepStrictEqual(cache.get('k', async () => 8), { state: 'known', value: 7 });
    assert.notStrictEqual(cache.version(), v1);
  });

  it('retries a failure in the background, answering the failure meanwhile, and keeps its version when the retry fails the same way', async () => {
    let clock = 0;
    let loads = 0;
    let settledCalls = 0;
    let outcome: () => Promise<number> = async () => { throw new Error('not in the store'); };
    const load = (): Promise<number> => {
      loads++;
      return outcome();
    };
    const cache = new LookupCache<number>({ retryAfterMs: 5000, now: () => clock, quietRepeats: true, onSettled: () => settledCalls++ });
    cache.get('k', load);
    await cache.settled();
    assert.deepStrictEqual(cache.get('k', load), { state: 'unknown', reason: 'not in the store' });
    const failedVersion = cache.version();
    assert.strictEqual(loads, 1);

    clock = 6000;
    assert.deepStrictEqual(cache.get('k', load), { state: 'unknown', reason: 'not in the store' }, 'the failure answers while the retry runs');
    assert.deepStrictEqual(cache.get('k', load), { state: 'unknown', reason: 'not in the store' });
    assert.strictEqual(loads, 2, 'one retry at a time');
    await cache.settled();
    assert.strictEqual(cache.version(), failedVersion, 'nothing a reader sees changed');
    assert.strictEqual(settledCalls, 1, 'a repeated failure stays quiet');

    clock = 12000;
    outcome = async () => 42;
    cache.get('k', load);
    await cache.settled();
    assert.notStrictEqual(cache.version(), failedVersion);
    assert.strictEqual(settledCalls, 2);
    assert.deepStrictEqual(cache.get('k', load), { state: 'known', value: 42 });
  });

  it('changes its version when a retry fails for another reason', async () => {
    let clock = 0;
    let reason = 'first';
    const load = async (): Promise<number> => { throw new Error(reason); };
    const cache = new LookupCache<number>({ retryAfterMs: 10, now: () => clock });
    cache.get('k', load);
    await cache.settled();
    const before = cache.version();
    clock = 20;
    reason = 'second';
    cache.get('k', load);
    await cache.settled();
    assert.notStrictEqual(cache.version(), before);
    assert.deepStrictEqual(cache.get('k', load), { state: 'unknown', reason: 'second' });
  });

  it('starts a load on a later turn when told to, so the caller does not pay for its synchronous start', async () => {
    let loads = 0;
    const cache = new LookupCache<number>({ startLater: true });
    assert.strictEqual(cache.get('k', async () => ++loads).state, 'pending');
    assert.strictEqual(loads, 0, 'nothing of the load ran inside get');
    await cache.settled();
    assert.strictEqual(loads, 1);
    assert.deepStrictEqual(cache.get('k', async () => ++loads), { state: 'known', value: 1 });
  });
});
