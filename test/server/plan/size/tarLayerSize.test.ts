import * as assert from 'assert';
import { paxRecordLength, tarEntryBytes, tarLayerSize, tarName } from '../../../../server/plan/size/tarLayerSize';

describe('tarLayerSize (Go archive/tar as BuildKit writes layers)', () => {
  it('counts a header per entry, content padded to 512, parents and the two end blocks', () => {
    const size = tarLayerSize([{ path: '/app/a.txt', kind: 'file', size: 3 }]);
    // app/ (512) + a.txt header (512) + content padded (512) + end (1024)
    assert.deepStrictEqual(size, { tarBytes: 2560, contentBytes: 3, entryCount: 2 });
  });

  it('pads content to the next 512-byte block and writes empty files as a bare header', () => {
    assert.strictEqual(tarEntryBytes({ path: 'x', kind: 'file', size: 512 }), 1024);
    assert.strictEqual(tarEntryBytes({ path: 'x', kind: 'file', size: 513 }), 1536);
    assert.strictEqual(tarEntryBytes({ path: 'x', kind: 'file', size: 0 }), 512);
  });

  it('adds each missing parent directory once and ignores the root', () => {
    const size = tarLayerSize([
      { path: '/usr/local/bin/a', kind: 'file', size: 1 },
      { path: '/usr/local/bin/b', kind: 'file', size: 1 },
      { path: '/', kind: 'dir', size: 0 },
    ]);
    assert.strictEqual(size.entryCount, 5);
    assert.strictEqual(size.tarBytes, 3 * 512 + 2 * 1024 + 1024);
  });

  it('stores a long name as USTAR prefix + name when a slash allows it, else as a PAX record', () => {
    const split = `${'d'.repeat(60)}/${'f'.repeat(90)}`;
    assert.strictEqual(tarEntryBytes({ path: split, kind: 'file', size: 0 }), 512);
    const long = 'g'.repeat(120);
    // PAX header block + records ("130 path=ggg...\n" = 130 bytes, padded to 512) + the header
    assert.strictEqual(paxRecordLength('path', long), 130);
    assert.strictEqual(tarEntryBytes({ path: long, kind: 'file', size: 0 }), 512 + 512 + 512);
  });

  it('uses PAX for non-ASCII names and long link targets, not for short ones', () => {
    assert.strictEqual(tarEntryBytes({ path: 'héllo.txt', kind: 'file', size: 3 }), 512 + 512 + 512 + 512);
    assert.strictEqual(tarEntryBytes({ path: 'l', kind: 'symlink', size: 0, linkTarget: 't'.repeat(150) }), 1536);
    assert.strictEqual(tarEntryBytes({ path: 'l', kind: 'symlink', size: 0, linkTarget: 'short' }), 512);
  });

  it('computes PAX record lengths that count their own digits', () => {
    assert.strictEqual(paxRecordLength('path', 'a'), 9); // "9 path=a\n"
    assert.strictEqual(paxRecordLength('path', 'a'.repeat(91)), 101); // 98 bytes + "101" -> 101
  });

  it('writes a second hard link to the same content as a bare header', () => {
    const size = tarLayerSize([
      { path: 'a', kind: 'file', size: 1000, inode: '1' },
      { path: 'b', kind: 'file', size: 1000, inode: '1' },
    ]);
    assert.strictEqual(size.contentBytes, 1000);
    assert.strictEqual(size.tarBytes, 512 + 1024 + 512 + 1024);
  });

  it('names directories with a trailing slash and whiteouts with .wh.', () => {
    assert.strictEqual(tarName('/usr/share', 'dir'), 'usr/share/');
    assert.strictEqual(tarName('/var/lib/apt/lists', 'whiteout'), 'var/lib/apt/.wh.lists');
  });

  it('lets a later entry for the same path replace an earlier one', () => {
    const size = tarLayerSize([
      { path: 'x', kind: 'file', size: 5000 },
      { path: 'x', kind: 'file', size: 1 },
    ]);
    assert.strictEqual(size.contentBytes, 1);
  });
});
