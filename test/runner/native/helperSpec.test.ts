// The native helper's request parsing and its refusals, which need no namespaces: each bad
// request is refused with exit 125 and a message that says what is wrong.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const HELPER = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'layerlens-helper');

describe('layerlens-helper requests', () => {
  let dir: string;
  before(() => {
    if (!fs.existsSync(HELPER)) throw new Error(`${HELPER} is missing: run \`npm run build\``);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-helper-spec-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function helper(mode: string, spec: string | string[]): { code: number | null; stderr: string } {
    const file = path.join(dir, 'spec');
    fs.writeFileSync(file, Array.isArray(spec) ? spec.map((r) => `${r}\0`).join('') : spec);
    const r = spawnSync(HELPER, [mode, '--spec', file], { encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr };
  }
  const container = ['lower=/l', 'upper=/u', 'work=/w', 'rootfs=/r'];

  it('refuses malformed requests, naming the problem', () => {
    const cases: [string | string[], RegExp][] = [
      ['', /spec: empty/],
      ['arg=true', /the last record is not NUL-terminated/],
      [['no-equals'], /record 'no-equals' has no '='/],
      [['bogus=1'], /unknown key 'bogus'/],
      [[...container], /no command \(arg=\)/],
      [[...container, 'arg=true', 'cwd=relative'], /working directory 'relative' is not absolute/],
      [['arg=true'], /no rootfs= mount point/],
      [['rootfs=/r', 'arg=true'], /no lower= or upper= directory/],
      [['rootfs=/r', 'upper=/u', 'arg=true'], /upper= needs work=/],
      [[...container, 'arg=true', 'idmap=maybe'], /idmap=maybe is not root, subid or single/],
      [[...container, 'arg=true', 'network=bridge'], /network=bridge is not none or host/],
      [[...container, 'arg=true', 'rlimit=NOFILE:1'], /rlimit=NOFILE:1 is not NAME:SOFT:HARD/],
      [[...container, 'arg=true', 'rlimit=FILES:1:2'], /unknown rlimit FILES/],
      [[...container, 'arg=true', 'host-uid=-1'], /host-uid=-1 is not a number/],
      [[...container, 'arg=true', 'mount.target=/x'], /mount.target before any mount=/],
      [[...container, 'arg=true', 'mount=bind', 'mount.target=/x'], /bind mount on \/x needs an absolute mount.source/],
      [[...container, 'arg=true', 'mount=tmpfs', 'mount.target=rel'], /needs an absolute mount.target/],
      [[...container, 'arg=true', 'mount=nfs'], /mount=nfs is not bind or tmpfs/],
    ];
    for (const [spec, message] of cases) {
      const r = helper('run', spec);
      assert.strictEqual(r.code, 125, `${JSON.stringify(spec)}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('says how it is used, and what exec and rmtree need', () => {
    const usage = spawnSync(HELPER, [], { encoding: 'utf8' });
    assert.strictEqual(usage.status, 2);
    assert.match(usage.stderr, /usage: layerlens-helper run\|exec\|rmtree/);
    assert.match(helper('exec', ['arg=true']).stderr, /exec needs exec-pid=/);
    assert.match(helper('rmtree', ['remove=relative']).stderr, /remove= needs an absolute path/);
    const absent = spawnSync(HELPER, ['run', '--spec', path.join(dir, 'absent')], { encoding: 'utf8' });
    assert.strictEqual(absent.status, 125);
    assert.match(absent.stderr, /open .*absent: No such file or directory/);
  });

  it('reports that a container process is gone when asked to exec into it', () => {
    const r = helper('exec', ['exec-pid=999999999', 'arg=true']);
    assert.strictEqual(r.code, 125);
    assert.match(r.stderr, /container process 999999999 is not running \(\/proc\/999999999\/ns\/user\)/);
  });
});
