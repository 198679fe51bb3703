import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sourceDateEpochOf } from '../../../runner/build/buildImage';
import { BuildError } from '../../../runner/build/buildError';
import { parseXattrDump } from '../../../runner/build/readXattrs';
import { tmpfsBytes } from '../../../runner/build/prepareMounts';
import { parseSecretFlag, readSecret } from '../../../runner/build/secrets';
import { containerIdsFor } from '../../../runner/build/containerIds';
import { urlFileName } from '../../../runner/build/fetchUrl';
import { readMeasuredSizes } from '../../../runner/build/measuredSizes';

describe('build inputs', () => {
  it('parses --secret like docker build', () => {
    assert.deepStrictEqual(parseSecretFlag('id=token,src=./t.txt', {}, '/ctx'), { id: 'token', file: '/ctx/t.txt' });
    assert.deepStrictEqual(parseSecretFlag('id=token,env=GH_TOKEN', {}), { id: 'token', env: 'GH_TOKEN' });
    assert.deepStrictEqual(parseSecretFlag('type=env,id=TOKEN', {}), { id: 'TOKEN', env: 'TOKEN' });
    assert.deepStrictEqual(parseSecretFlag('id=API', { API: 'x' }), { id: 'API', env: 'API' });
    assert.throws(() => parseSecretFlag('src=x'), BuildError);
    assert.throws(() => parseSecretFlag('id=a,colour=blue'), /unknown key 'colour'/);
    assert.throws(() => parseSecretFlag('id=a,type=ssh'), /type must be file or env/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-secret-'));
    fs.writeFileSync(path.join(dir, 's'), 'value');
    assert.strictEqual(readSecret({ id: 's', file: path.join(dir, 's') })?.toString(), 'value');
    assert.strictEqual(readSecret({ id: 's', file: path.join(dir, 'missing') }), undefined);
    assert.strictEqual(readSecret({ id: 's', env: 'NOPE' }, {}), undefined);
    fs.rmSync(dir, { recursive: true });
  });

  it('reads SOURCE_DATE_EPOCH from options, build args or the environment', () => {
    assert.strictEqual(sourceDateEpochOf({ contextDir: '.', sourceDateEpoch: 5 }, {}), 5);
    assert.strictEqual(sourceDateEpochOf({ contextDir: '.', buildArgs: { SOURCE_DATE_EPOCH: '7' } }, { SOURCE_DATE_EPOCH: '9' }), 7);
    assert.strictEqual(sourceDateEpochOf({ contextDir: '.' }, { SOURCE_DATE_EPOCH: '9' }), 9);
    assert.strictEqual(sourceDateEpochOf({ contextDir: '.' }, {}), undefined);
    assert.throws(() => sourceDateEpochOf({ contextDir: '.' }, { SOURCE_DATE_EPOCH: 'yesterday' }), /number of seconds/);
  });

  it('converts tmpfs sizes and URL file names', () => {
    assert.deepStrictEqual(['64m', '1GiB', '1048576', '512k'].map(tmpfsBytes), [64 << 20, 1 << 30, 1048576, 512 << 10]);
    assert.throws(() => tmpfsBytes('lots'), /invalid tmpfs size/);
    assert.strictEqual(urlFileName('https://example.com/a/b/tool.tar.gz?x=1'), 'tool.tar.gz');
    assert.strictEqual(urlFileName('https://example.com/'), '__unnamed__');
  });

  it('maps host ids to container ids for root, subordinate ranges and single ids', () => {
    const root = containerIdsFor({ mode: 'root', hostUid: 0, hostGid: 0 });
    assert.deepStrictEqual([root.uid(0), root.uid(1000), root.canChown], [0, 1000, true]);
    const sub = containerIdsFor({ mode: 'subid', hostUid: 1000, hostGid: 1000, subuid: { start: 100000, count: 65536 }, subgid: { start: 100000, count: 65536 } });
    assert.deepStrictEqual([sub.uid(1000), sub.uid(100000), sub.uid(100041), sub.gid(5), sub.canChown], [0, 1, 42, 65534, false]);
    const single = containerIdsFor({ mode: 'single', hostUid: 1000, hostGid: 1000, warning: '' });
    assert.deepStrictEqual([single.uid(1000), single.uid(0)], [0, 65534]);
  });

  it('parses getfattr dumps, escaped names included', () => {
    const table = parseXattrDump('# file: /a/b\\040c\nuser.x=0x6869\nuser.overlay.opaque="y"\n\n# file: /d\n');
    assert.deepStrictEqual([...table.keys()], ['/a/b c']);
    assert.strictEqual(table.get('/a/b c')?.get('user.x')?.toString(), 'hi');
    assert.strictEqual(table.get('/a/b c')?.get('user.overlay.opaque')?.toString(), 'y');
  });

  it('reads measured sizes from a store root, tolerating a missing or damaged file', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-measured-'));
    assert.strictEqual((await readMeasuredSizes(root)).count, 0);
    fs.mkdirSync(path.join(root, 'build-cache'));
    fs.writeFileSync(path.join(root, 'build-cache', 'measured-sizes.json'), '{"version":1,"sizes":{"abc":{"bytes":42,"measuredAt":"x"}}}');
    const sizes = await readMeasuredSizes(root);
    assert.strictEqual(sizes.measuredBytes('abc'), 42);
    assert.strictEqual(sizes.measuredBytes('def'), undefined);
    fs.writeFileSync(path.join(root, 'build-cache', 'measured-sizes.json'), 'not json');
    assert.strictEqual((await readMeasuredSizes(root)).count, 0);
    fs.rmSync(root, { recursive: true });
  });
});
