// The server's reading of `layerlens.*` settings: what the client sends, possibly partial or wrong.
import * as assert from 'assert';
import { defaultSettings, readSettings } from '../../server/settings';

describe('server settings', () => {
  it('reads insecure registries, keeping only strings, and defaults to none', () => {
    assert.deepStrictEqual(readSettings({ registries: { insecure: ['reg.lan:5000', 7, null, 'other:80'] } }).registries.insecure, ['reg.lan:5000', 'other:80']);
    assert.deepStrictEqual(readSettings({ registries: { insecure: 'reg.lan:5000' } }).registries.insecure, []);
    assert.deepStrictEqual(readSettings(undefined), defaultSettings);
  });
});
