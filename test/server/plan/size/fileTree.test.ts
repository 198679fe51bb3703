import * as assert from 'assert';
import * as fc from 'fast-check';
import { compareNames } from '../../../../server/plan/size/fileTree';

describe('compareNames (byte-wise UTF-8 order, as Go lists a directory)', () => {
  const bytes = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

  it('orders like the UTF-8 bytes for any names, astral characters and lone surrogates included', () => {
    const unit = fc.constantFrom('a', 'B', '.', '-', '_', 'é', '\u00ff', '\u0100', '\ud7ff', '\ue000', '\uffff', '\u{1f600}', '\u{10000}', '\ud800');
    const name = fc.array(unit, { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(fc.property(name, name, (a, b) => Math.sign(compareNames(a, b)) === bytes(a, b)), { numRuns: 20000 });
  });

  it('puts U+E000 after an astral character, where UTF-16 order would not', () => {
    assert.strictEqual(compareNames('\ue000', '\u{1f600}'), -1);
    assert.ok('\ue000' > '\u{1f600}', 'UTF-16 order differs here');
    assert.strictEqual(compareNames('a', 'ab'), -1);
    assert.strictEqual(compareNames('Z', 'a'), -1);
  });
});
