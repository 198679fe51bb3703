import * as assert from 'assert';
import { describeStepSize, formatBytes } from '../../../../server/plan/size/formatBytes';

describe('formatBytes', () => {
  it('keeps the zeros of whole numbers (100 kB is not 1 kB)', () => {
    assert.strictEqual(formatBytes(100_000), '100 kB');
    assert.strictEqual(formatBytes(102_400), '102 kB');
    assert.strictEqual(formatBytes(10_000), '10 kB');
    assert.strictEqual(formatBytes(200_000_000), '200 MB');
    assert.strictEqual(formatBytes(1_000), '1 kB');
    assert.strictEqual(formatBytes(100), '100 B');
    assert.strictEqual(formatBytes(0), '0 B');
  });

  it('drops trailing zeros after the decimal point only', () => {
    assert.strictEqual(formatBytes(1_500), '1.5 kB');
    assert.strictEqual(formatBytes(2_000_000), '2 MB');
    assert.strictEqual(formatBytes(10_500), '10.5 kB');
    assert.strictEqual(formatBytes(1_234_567), '1.23 MB');
    assert.strictEqual(formatBytes(999_999), '1 MB');
    assert.strictEqual(formatBytes(999), '999 B');
    assert.strictEqual(formatBytes(99_995), '100 kB');
  });

  it('describes a 100 kB prediction as 100 kB', () => {
    assert.strictEqual(describeStepSize({ predictedBytes: 100_000, confidence: 'exact', basis: '' }), '100 kB');
  });
});
