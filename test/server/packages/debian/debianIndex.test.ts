import * as assert from 'assert';
import { DebianIndex } from '../../../../server/packages/debian/debianIndex';

const paragraph = (name: string, version: string, provides?: string): string =>
  `Package: ${name}\nVersion: ${version}\nArchitecture: amd64\nInstalled-Size: 10\nSize: 100\n${provides ? `Provides: ${provides}\n` : ''}\n`;

describe('Debian index providers', () => {
  it('lists each provider of a virtual package once, whether one or several provide it, across files', () => {
    const index = new DebianIndex();
    index.add(paragraph('mawk', '1.3', 'awk') + paragraph('gawk', '5.2', 'awk, gawk-virtual') + paragraph('exim4', '4.96', 'mail-transport-agent'), 'amd64');
    // A second file with a newer mawk and a third awk: mawk is not listed twice.
    index.add(paragraph('mawk', '1.4', 'awk') + paragraph('original-awk', '2023', 'awk'), 'amd64');
    assert.deepStrictEqual(index.providersOf('awk'), ['mawk', 'gawk', 'original-awk']);
    assert.deepStrictEqual(index.providersOf('gawk-virtual'), ['gawk']);
    assert.deepStrictEqual(index.providersOf('mail-transport-agent'), ['exim4']);
    assert.deepStrictEqual(index.providersOf('nothing'), []);
    assert.strictEqual(index.candidate('mawk')?.version, '1.4');
  });

  it('keeps a single provider a single provider when the same package provides it again', () => {
    const index = new DebianIndex();
    index.add(paragraph('exim4', '4.96', 'mail-transport-agent'), 'amd64');
    index.add(paragraph('exim4', '4.97', 'mail-transport-agent'), 'amd64');
    assert.deepStrictEqual(index.providersOf('mail-transport-agent'), ['exim4']);
  });

  it('takes a newer version from a later file after its records moved to disk', () => {
    const index = new DebianIndex();
    index.add(paragraph('mawk', '1.3', 'awk') + paragraph('gawk', '5.2', 'awk'), 'amd64');
    assert.ok(index.keepRecordsOnDisk());
    assert.strictEqual(index.candidate('mawk')?.version, '1.3');
    index.add(paragraph('mawk', '1.4', 'awk') + paragraph('gawk', '5.1', 'awk'), 'amd64');
    assert.strictEqual(index.candidate('mawk')?.version, '1.4');
    assert.ok(index.keepRecordsOnDisk());
    assert.strictEqual(index.candidate('mawk')?.version, '1.4');
    assert.strictEqual(index.candidate('gawk')?.version, '5.2');
    assert.deepStrictEqual(index.providersOf('awk'), ['mawk', 'gawk']);
  });
});
