import * as assert from 'assert';
import { imageEfficiency } from '../../../../server/plan/size/imageEfficiency';

describe('imageEfficiency (dive score over real layers)', () => {
  it('is 1 when no path appears twice', () => {
    const e = imageEfficiency([[{ path: 'a', kind: 'file', size: 10 }], [{ path: 'b', kind: 'file', size: 20 }]]);
    assert.deepStrictEqual(e, { score: 1, wastedBytes: 0, inefficiencies: [] });
  });

  it('counts a deleted file at its size in the whiteout layer too', () => {
    // 100 bytes written, then deleted: cumulative 200, minimum 100 -> score 100/(200+50)
    const e = imageEfficiency([
      [{ path: 'x/big', kind: 'file', size: 100 }, { path: 'keep', kind: 'file', size: 50 }],
      [{ path: 'x/.wh.big', kind: 'file', size: 0 }],
    ]);
    assert.strictEqual(e.score, 150 / 250);
    assert.strictEqual(e.wastedBytes, 200);
    assert.deepStrictEqual(e.inefficiencies[0], { path: '/x/big', cumulativeBytes: 200, layers: [0, 1] });
  });

  it('counts overwritten files and opaque directories', () => {
    const e = imageEfficiency([
      [{ path: 'etc/conf', kind: 'file', size: 30 }, { path: 'd/a', kind: 'file', size: 7 }],
      [{ path: 'etc/conf', kind: 'file', size: 40 }, { path: 'd/.wh..wh..opq', kind: 'file', size: 0 }],
    ]);
    assert.strictEqual(e.inefficiencies.length, 1);
    assert.strictEqual(e.inefficiencies[0].cumulativeBytes, 70);
    assert.strictEqual(e.score, (30 + 7) / (70 + 7));
  });
});
