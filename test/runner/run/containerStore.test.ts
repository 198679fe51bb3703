import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { claimGeneratedName, claimName, releaseName } from '../../../runner/run/containerNames';
import { parseStatusFile, type ContainerRecord } from '../../../runner/run/containerRecord';
import { ContainerStore } from '../../../runner/run/containerStore';
import { containerEntry, humanDuration, statusText } from '../../../runner/run/describeContainer';
import { processStartTime } from '../../../runner/run/processStartTime';
import { isOrphanedAutoRemove, reapRemovedOnExit } from '../../../runner/run/reapRemovedOnExit';
import { signalName, signalNumber } from '../../../runner/run/signals';

function record(id: string, name: string, extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id, name, image: 'sha256:abc', imageRef: 'img', created: new Date(0).toISOString(), state: 'created', autoRemove: false, logging: true,
    config: { process: { args: ['sh'], env: [], cwd: '/', user: '', tty: false }, hostname: 'h', network: 'none', mounts: [], readOnly: false, interactive: false, stopSignal: 'SIGTERM' },
    ...extra,
  };
}

describe('container records', () => {
  let dir: string;
  let store: ContainerStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-containers-'));
    store = new ContainerStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const save = (r: ContainerRecord) => { fs.mkdirSync(store.paths(r.id).dir, { recursive: true }); store.save(r); return r; };

  it('saves atomically and finds by id, name or unique prefix', () => {
    save(record('aaaa1111', 'first'));
    save(record('aaaa2222', 'second'));
    assert.deepStrictEqual(fs.readdirSync(store.paths('aaaa1111').dir), ['container.json'], 'no temp file left');
    assert.strictEqual(store.find('aaaa1111').name, 'first');
    assert.strictEqual(store.find('second').id, 'aaaa2222');
    assert.strictEqual(store.find('aaaa2').name, 'second');
    assert.throws(() => store.find('aaaa'), /matches 2 containers/);
    assert.throws(() => store.find('zzz'), /no such container: zzz/);
    assert.strictEqual(store.load('missing'), undefined);
  });

  it('derives the live state: running while its helper lives, exited from the status file or when the helper is gone', () => {
    const me = record('bbbb', 'live', { state: 'running', helperPid: process.pid, helperStartTime: processStartTime(process.pid), pid: process.pid });
    save(me);
    assert.strictEqual(store.load('bbbb')?.state, 'running');
    fs.writeFileSync(store.paths('bbbb').status, 'signaled 9\n');
    assert.deepStrictEqual([store.load('bbbb')?.state, store.load('bbbb')?.exitCode, store.load('bbbb')?.signal], ['exited', 137, 9]);
    save(record('cccc', 'ghost', { state: 'running', helperPid: process.pid, helperStartTime: 1 }));
    assert.deepStrictEqual([store.load('cccc')?.state, store.load('cccc')?.exitCode], ['exited', null], 'a reused pid is not our helper');
    assert.throws(() => { fs.writeFileSync(store.paths('dddd').record, '{'); }, /ENOENT/);
    fs.mkdirSync(store.paths('dddd').dir);
    fs.writeFileSync(store.paths('dddd').record, '{');
    assert.throws(() => store.load('dddd'), /unreadable record/);
  });

  it('reads status files', () => {
    assert.deepStrictEqual(parseStatusFile('exited 3\n'), { exitCode: 3 });
    assert.deepStrictEqual(parseStatusFile('signaled 15 core\n'), { exitCode: 143, signal: 15 });
    assert.strictEqual(parseStatusFile('garbage'), undefined);
  });

  it('claims names exclusively, frees them, and generates free ones', () => {
    claimName(dir, 'web', 'gone');
    claimName(dir, 'web', 'id1'); // a claim whose container directory does not exist is stale
    save(record('id1', 'web'));
    assert.throws(() => claimName(dir, 'web', 'id2'), /the name 'web' is already used by container id1/);
    releaseName(dir, 'web', 'id1');
    claimName(dir, 'web', 'id2');
    assert.throws(() => claimName(dir, '-bad', 'x'), /invalid container name/);
    const generated = claimGeneratedName(dir, 'id3');
    assert.match(generated, /^[a-z]+_[a-z]+(_\d+)?$/);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.names', generated), 'utf8'), 'id3');
    assert.deepStrictEqual(store.list().map((c) => c.id), ['id1'], '.names is not a container');
  });

  it('describes containers as ps shows them', () => {
    const now = Date.parse('2024-01-01T01:00:00Z');
    assert.strictEqual(humanDuration(500), 'less than a second');
    assert.strictEqual(humanDuration(61_000), '1 minute');
    assert.strictEqual(humanDuration(2 * 86_400_000), '2 days');
    assert.strictEqual(statusText(record('e', 'e', { state: 'running', startedAt: '2024-01-01T00:59:00Z' }), now), 'Up 1 minute');
    assert.strictEqual(statusText(record('e', 'e', { state: 'exited', exitCode: 2, finishedAt: '2024-01-01T00:00:00Z' }), now), 'Exited (2) 1 hour ago');
    assert.strictEqual(statusText(record('e', 'e', { state: 'exited', exitCode: null }), now), 'Exited (?)');
    const entry = containerEntry(record('e', 'e', { state: 'exited', exitCode: 0, pid: 5 }), now);
    assert.deepStrictEqual([entry.image, entry.command, entry.exitCode, entry.pid], ['img', 'sh', 0, undefined]);
  });

  it('removes --rm containers left behind by a killed remover, but not one about to be removed', async () => {
    const now = Date.now();
    const old = new Date(now - 120_000).toISOString();
    const orphan = save(record('eeee', 'orphan', { autoRemove: true, state: 'exited', exitCode: null, finishedAt: old, helperPid: 999999999, helperStartTime: 1 }));
    const fresh = save(record('ffff', 'fresh', { autoRemove: true, state: 'exited', exitCode: 0, finishedAt: new Date(now).toISOString() }));
    const kept = save(record('abab', 'kept', { state: 'exited', exitCode: 0, finishedAt: old }));
    const supervised = save(record('cdcd', 'removing', { autoRemove: true, state: 'exited', finishedAt: old, helperPid: process.pid, helperStartTime: processStartTime(process.pid) }));
    assert.deepStrictEqual([orphan, fresh, kept, supervised].map((c) => isOrphanedAutoRemove(c, now)), [true, false, false, false]);
    const remaining = await reapRemovedOnExit(store, store.list());
    assert.deepStrictEqual(remaining.map((c) => c.name).sort(), ['fresh', 'kept', 'removing']);
    assert.ok(!fs.existsSync(store.paths('eeee').dir));
  });

  it('knows signal names and numbers', () => {
    assert.strictEqual(signalNumber('TERM'), 15);
    assert.strictEqual(signalNumber('sigkill'), 9);
    assert.strictEqual(signalNumber('10'), 10);
    assert.strictEqual(signalNumber('NOPE'), undefined);
    assert.strictEqual(signalNumber('99'), undefined);
    assert.strictEqual(signalName(2), 'SIGINT');
  });
});
