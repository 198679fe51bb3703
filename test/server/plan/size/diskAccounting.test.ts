import * as assert from 'assert';
import { accountDiskUsage } from '../../../../server/plan/size/diskAccounting';

describe('accountDiskUsage (base plus differences)', () => {
  const base = { digest: 'sha256:base', bytes: 80_000_000 };
  it('splits each image into bytes shared with other images and its own', () => {
    const usage = accountDiskUsage(
      [
        { id: 'app', layers: [base, { digest: 'sha256:app', bytes: 5_000_000 }] },
        { id: 'worker', layers: [base, { digest: 'sha256:worker', bytes: 2_000_000 }] },
        { id: 'alone', layers: [{ digest: 'sha256:other', bytes: 1_000 }] },
      ],
      [{ id: 'c1', imageId: 'app', writableBytes: 4096 }],
    );
    assert.deepStrictEqual(usage.images.map((i) => [i.id, i.bytes, i.sharedBytes, i.uniqueBytes, i.containers]), [
      ['app', 85_000_000, 80_000_000, 5_000_000, 1],
      ['worker', 82_000_000, 80_000_000, 2_000_000, 0],
      ['alone', 1_000, 0, 1_000, 0],
    ]);
    assert.strictEqual(usage.storedBytes, 80_000_000 + 5_000_000 + 2_000_000 + 1_000 + 4096);
    assert.strictEqual(usage.savedBySharing, 80_000_000);
    assert.strictEqual(usage.containers[0].totalBytes, 85_000_000 + 4096);
  });

  it('counts a layer an image lists twice once', () => {
    const usage = accountDiskUsage([{ id: 'x', layers: [base, base] }]);
    assert.strictEqual(usage.images[0].bytes, 80_000_000);
    assert.strictEqual(usage.images[0].sharedBytes, 0);
  });
});
