// A big Debian index read in slices gives the same packages as read at once, and the event loop
// keeps turning while it is read.
import * as assert from 'assert';
import { DebianIndex } from '../../../../server/packages/debian/debianIndex';
import { forEachParagraph, forEachParagraphInSlices, type ControlParagraph } from '../../../../server/packages/debian/parseControl';
import { loopGapsDuring } from '../loopGaps';

/** A synthetic `Packages` file: several architectures, repeated names with other versions, alternatives, continuations. */
function bigPackagesFile(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const arch = ['amd64', 'arm64', 'all'][i % 3];
    out.push(
      [
        `Package: pkg${i % Math.floor(count * 0.8)}`,
        `Version: ${1 + (i % 7)}.${i % 13}-${i % 3}`,
        `Architecture: ${arch}`,
        `Installed-Size: ${100 + (i % 997)}`,
        `Size: ${2000 + i}`,
        `Depends: libc6 (>= 2.36), pkg${(i * 7) % count} | pkg${(i * 11) % count}:any, lib${i % 50} [amd64] <!nocheck>`,
        i % 5 === 0 ? `Pre-Depends: dpkg (>= 1.19)` : '',
        i % 4 === 0 ? `Recommends: pkg${(i + 1) % count}` : '',
        i % 9 === 0 ? `Provides: virtual${i % 40}, virtual${i % 17} (= 1.0)` : '',
        i % 100 === 0 ? 'Essential: yes\nPriority: required' : 'Priority: optional',
        `Description: package number ${i}`,
        ` a longer description that continues`,
        ` .`,
        ` over several lines, as real indexes do`,
        `Homepage: https://example.org/${i}`,
      ].filter(Boolean).join('\n'),
    );
  }
  return out.join('\n\n') + '\n';
}

/** Everything an index answers, for comparing two of them. */
function contents(index: DebianIndex, count: number): unknown {
  const names = Array.from({ length: count }, (_, i) => `pkg${i}`);
  const virtuals = Array.from({ length: 40 }, (_, i) => `virtual${i}`);
  return { size: index.size, bytes: index.indexBytes, packages: names.map((n) => index.candidate(n)), providers: virtuals.map((v) => index.providersOf(v)), minimal: [...index.minimalBaseSet()] };
}

describe('Debian index read in slices', () => {
  const count = 60_000;
  const text = bigPackagesFile(count);

  it('reads the same paragraphs in the same order as reading at once, whatever the slice', async () => {
    const small = bigPackagesFile(300) + 'Package: last\nDescription: x\n continued at the very end';
    const wanted = ['Package', 'Version', 'Depends', 'Description'];
    const atOnce: ControlParagraph[] = [];
    forEachParagraph(small, wanted, (p) => atOnce.push(p));
    for (const sliceMs of [0, 1, 1000]) {
      const sliced: ControlParagraph[] = [];
      await forEachParagraphInSlices(small, wanted, (p) => sliced.push(p), sliceMs);
      assert.deepStrictEqual(sliced, atOnce);
    }
    assert.strictEqual(atOnce.length, 300);
  });

  it('builds the same index from a big Packages file, and keeps the event loop turning', async function () {
    this.timeout(120000);
    const atOnce = new DebianIndex();
    const t0 = performance.now();
    atOnce.add(text, 'amd64');
    const blockingMs = performance.now() - t0;
    const sliced = new DebianIndex();
    // Slices of 2 ms, so the turns counted follow from the work, not from how fast this machine is
    // (at the default 8 ms slice a quick run turned it exactly 10 times).
    const gaps = await loopGapsDuring(() => sliced.addInSlices(text, 'amd64', 2));
    console.log(`      ${(text.length / 1e6).toFixed(1)} MB: ${blockingMs.toFixed(0)} ms at once; in slices the loop turned ${gaps.turns} times, longest wait ${gaps.longestMs.toFixed(1)} ms`);
    assert.deepStrictEqual(contents(sliced, count), contents(atOnce, count));
    assert.ok(atOnce.size > 10_000);
    // Reading at once holds the loop for the whole file; in slices no wait comes near that
    // (the limit is generous: other processes share the machine and can delay any turn; reading
    // at once takes 160-340 ms here).
    assert.ok(gaps.turns > 10, `the loop turned ${gaps.turns} times`);
    assert.ok(gaps.longestMs < Math.max(100, blockingMs / 2), `the longest wait was ${gaps.longestMs.toFixed(1)} ms (at once: ${blockingMs.toFixed(0)} ms)`);
  });
});
