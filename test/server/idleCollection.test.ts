import * as assert from 'assert';
import * as v8 from 'v8';
import { collectGarbageWhenIdle } from '../../server/idleCollection';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('garbage collection when the server goes quiet', () => {
  it('collects once the event loop has been quiet after the heap grew, and gives the garbage back', async () => {
    const collections: { before: number; after: number }[] = [];
    const stop = collectGarbageWhenIdle({ quietMs: 100, checkMs: 20, minGrowthBytes: 8 * 1048576, minGrowthShare: 0, onCollected: (before, after) => collections.push({ before, after }) });
    try {
      // ~40 MiB of garbage: strings kept until the loop ends, then dropped. V8 may collect it on its
      // own first (then nothing has grown): a few attempts.
      let garbage: string[] = [];
      for (let attempt = 0; attempt < 3 && collections.length === 0; attempt++) {
        for (let i = 0; i < 400_000; i++) garbage.push(`garbage ${i} `.repeat(8));
        garbage = [];
        for (let i = 0; i < 50 && collections.length === 0; i++) await sleep(20);
      }
      assert.ok(collections.length > 0, 'no collection after a quiet second');
      assert.ok(collections[0].after < collections[0].before - 8 * 1048576, `${collections[0].before} -> ${collections[0].after}`);
      assert.strictEqual(garbage.length, 0);
    } finally {
      stop();
    }
  });

  it('does not collect while the event loop is busy, nor again without new growth', async () => {
    let count = 0;
    const stop = collectGarbageWhenIdle({ quietMs: 150, checkMs: 20, minGrowthBytes: 8 * 1048576, minGrowthShare: 0, onCollected: () => count++ });
    try {
      let kept: string[][] = [];
      const started = Date.now();
      // Busy for 500 ms in slices with short gaps, each slice allocating the same amount (about 1 MiB,
      // so the growth does not depend on the machine's speed), all kept: V8's own collections
      // cannot take the growth back, so the quiet collection must happen, and only once.
      while (Date.now() - started < 500) {
        const chunk: string[] = [];
        for (let i = 0; i < 10_000; i++) chunk.push(`busy ${i} `.repeat(8));
        kept.push(chunk);
        const slice = Date.now();
        while (Date.now() - slice < 10) { /* busy */ }
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.strictEqual(count, 0, 'collected while busy');
      assert.ok(kept.length > 10);
      await sleep(600);
      assert.strictEqual(count, 1, 'one collection once quiet');
      await sleep(300);
      assert.strictEqual(count, 1, 'collected again without growth');
      kept = [];
      assert.strictEqual(kept.length, 0);
    } finally {
      stop();
    }
  });
});

describe('young generation after a longer quiet', () => {
  it('collects once more when the young generation is still large after a longer quiet, and only once', async () => {
    // Objects that survive a few scavenges make V8 grow its young generation.
    let kept: number[][] = [];
    for (let i = 0; i < 600_000; i++) kept.push([i, i + 1, i + 2]);
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    assert.ok(young > 4 * 1048576, `young generation ${young} bytes`);
    kept = [];
    let count = 0;
    // No growth is ever large enough here: only the young generation's collection can happen.
    const stop = collectGarbageWhenIdle({ quietMs: 50, checkMs: 20, minGrowthBytes: 1 << 40, shrinkYoungAfterMs: 300, onCollected: () => count++ });
    try {
      await sleep(150);
      assert.strictEqual(count, 0, 'collected before the longer quiet');
      // Under load (the whole suite) the loop may not count as quiet at once: wait up to 3 s.
      for (const deadline = Date.now() + 3000; count === 0 && Date.now() < deadline;) await sleep(50);
      assert.strictEqual(count, 1, 'one collection after the longer quiet');
      await sleep(500);
      assert.strictEqual(count, 1, 'collected again without new growth');
      assert.strictEqual(kept.length, 0);
    } finally {
      stop();
    }
  });
});
