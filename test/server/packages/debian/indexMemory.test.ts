// The Debian index keeps bookworm's 63,000 packages as bytes: its memory (heap and buffers) after a
// collection stays well under what objects per package cost (27 MiB, 25 of them heap, before),
// and under half of that again once its records are on disk.
import * as assert from 'assert';
import * as fs from 'fs';
import { garbageCollector } from '../../../../server/idleCollection';
import { DebianIndex } from '../../../../server/packages/debian/debianIndex';
import { aptListsFetcher, streamIndex } from '../../../../server/packages/debian/indexFetchers';

const LISTS = '/var/lib/apt/lists';
const SUITES = ['debian/dists/bookworm', 'debian/dists/bookworm-updates', 'debian-security/dists/bookworm-security'];

describe('Debian index memory', () => {
  it("holds bookworm's index in under 20 MiB, under 6 MiB of it heap", async function () {
    this.timeout(120000);
    if (!fs.existsSync(LISTS) || !fs.readdirSync(LISTS).some((n) => n.startsWith('deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages'))) this.skip();
    const gc = garbageCollector();
    const fetchIndex = aptListsFetcher(LISTS);
    gc();
    const before = process.memoryUsage();
    const index = new DebianIndex();
    for (const suite of SUITES) {
      const feeder = index.feeder('amd64');
      await streamIndex(fetchIndex, `http://deb.debian.org/${suite}/main/binary-amd64/Packages`, (chunk) => feeder.push(chunk));
      feeder.end();
    }
    gc();
    // Buffers freed in a collection are given back a moment later.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const after = process.memoryUsage();
    const heap = (after.heapUsed - before.heapUsed) / 2 ** 20;
    const buffers = (after.arrayBuffers - before.arrayBuffers) / 2 ** 20;
    assert.ok(index.size > 60_000, `${index.size} packages`);
    assert.ok(heap < 6, `${heap.toFixed(1)} MiB of heap`);
    assert.ok(heap + buffers < 20, `${heap.toFixed(1)} MiB of heap and ${buffers.toFixed(1)} MiB of buffers`);
    assert.ok(index.candidate('curl'), 'still alive and answering');
    // The records moved to disk: what stays is the names, the providers and their tables.
    const curl = JSON.stringify(index.candidate('curl'));
    assert.ok(index.keepRecordsOnDisk());
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    const moved = process.memoryUsage();
    const kept = (moved.heapUsed - before.heapUsed + moved.arrayBuffers - before.arrayBuffers) / 2 ** 20;
    assert.ok(kept < 10, `${kept.toFixed(1)} MiB kept with the records on disk`);
    console.log(`      ${(heap + buffers).toFixed(1)} MiB in memory, ${kept.toFixed(1)} MiB with the records on disk`);
    assert.strictEqual(JSON.stringify(index.candidate('curl')), curl);
  });

  it('never holds the records in memory when they go to disk as they are read', async function () {
    this.timeout(120000);
    if (!fs.existsSync(LISTS) || !fs.readdirSync(LISTS).some((n) => n.startsWith('deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages'))) this.skip();
    const gc = garbageCollector();
    const fetchIndex = aptListsFetcher(LISTS);
    gc();
    const before = process.memoryUsage().arrayBuffers;
    let most = 0;
    const index = new DebianIndex({ recordsOnDisk: true });
    for (const suite of SUITES) {
      const feeder = index.feeder('amd64');
      await streamIndex(fetchIndex, `http://deb.debian.org/${suite}/main/binary-amd64/Packages`, async (chunk) => {
        await feeder.push(chunk);
        most = Math.max(most, process.memoryUsage().arrayBuffers - before);
      });
      feeder.end();
    }
    assert.ok(index.keepRecordsOnDisk());
    assert.ok(index.size > 60_000, `${index.size} packages`);
    // The names and virtual names (about 2 MiB each), read buffers and the chunk being filled.
    console.log(`      ${(most / 2 ** 20).toFixed(1)} MiB of buffers at most while reading`);
    assert.ok(most < 14 * 2 ** 20, `${(most / 2 ** 20).toFixed(1)} MiB of buffers at most while reading (20 with the records in memory)`);
  });
});
