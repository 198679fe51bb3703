// A big APKINDEX read in slices gives the same packages as read at once, and the event loop keeps
// turning while it is read.
import * as assert from 'assert';
import { ApkIndex, parseApkIndex, parseApkIndexInSlices } from '../../../../server/packages/alpine/apkIndex';
import { loopGapsDuring } from '../loopGaps';

function bigApkIndex(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push([
      `C:Q1${i.toString(36)}=`,
      `P:pkg${i % Math.floor(count * 0.9)}`,
      `V:${1 + (i % 5)}.${i % 11}-r${i % 3}`,
      'A:x86_64',
      `S:${1000 + i}`,
      `I:${4096 + (i % 777) * 10}`,
      'T:a package',
      `D:so:libc.musl-x86_64.so.1 pkg${(i * 7) % count}>=1.0 !conflict${i % 5}`,
      i % 6 === 0 ? `p:cmd:tool${i % 30} so:libpkg${i}.so.1=1` : '',
    ].filter(Boolean).join('\n'));
  }
  return out.join('\n\n') + '\n';
}

describe('APKINDEX read in slices', () => {
  it('parses to the same packages as at once, and keeps the event loop turning', async function () {
    this.timeout(60000);
    const text = bigApkIndex(150_000);
    const t0 = performance.now();
    const atOnce = parseApkIndex(text);
    const blockingMs = performance.now() - t0;
    let sliced: Awaited<ReturnType<typeof parseApkIndexInSlices>> = [];
    const gaps = await loopGapsDuring(async () => {
      sliced = await parseApkIndexInSlices(text);
    });
    console.log(`      ${(text.length / 1e6).toFixed(1)} MB: ${blockingMs.toFixed(0)} ms at once; in slices the loop turned ${gaps.turns} times, longest wait ${gaps.longestMs.toFixed(1)} ms`);
    assert.deepStrictEqual(sliced, atOnce);
    assert.strictEqual(atOnce.length, 150_000);
    assert.ok(gaps.turns > 5, `the loop turned ${gaps.turns} times`);
    assert.ok(gaps.longestMs < Math.max(60, blockingMs / 3), `the longest wait was ${gaps.longestMs.toFixed(1)} ms (at once: ${blockingMs.toFixed(0)} ms)`);
  });

  it('lists every provider of a virtual name, first added first', () => {
    const index = new ApkIndex();
    index.add(parseApkIndex('P:a\nV:1\np:cmd:x\n\nP:b\nV:1\np:cmd:x\n\nP:c\nV:1\np:cmd:x\n'));
    assert.strictEqual(index.resolve('cmd:x')?.name, 'a');
    assert.strictEqual(index.size, 3);
  });
});
