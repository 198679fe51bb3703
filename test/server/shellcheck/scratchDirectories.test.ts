import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweepLeftovers } from '../../../server/shellcheck/scratchDirectories';

const RUN_SHELLCHECK = path.resolve(__dirname, '..', '..', '..', 'server', 'shellcheck', 'runShellcheck.js');

describe('shellcheck scratch directories', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-scratch-root-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('removes the directory of a batch under way when the process exits (shellcheck still running)', async function () {
    this.timeout(20000);
    // A server process: starts a batch of 64 scripts, and exits as soon as its directory exists
    // (shellcheck still running), as a server does when the editor closes mid-batch.
    const script = `process.env.TMPDIR = ${JSON.stringify(root)};
      const fs = require('fs');
      const { runShellcheck } = require(${JSON.stringify(RUN_SHELLCHECK)});
      const scripts = Array.from({ length: 64 }, (_, i) => ({ dialect: 'sh', exported: ['A'], text: 'echo $' + 'x' + i + '\\n'.repeat(50) }));
      void runShellcheck('shellcheck', scripts);
      const poll = setInterval(() => {
        const mine = fs.readdirSync(${JSON.stringify(root)}).filter((n) => n.startsWith('layerlens-shellcheck-' + process.pid + '-'));
        if (mine.length && fs.readdirSync(${JSON.stringify(root)} + '/' + mine[0]).length === 64) { clearInterval(poll); process.stdout.write(mine[0]); process.exit(0); }
      }, 1);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d; });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.strictEqual(code, 0);
    assert.match(out, new RegExp(`^layerlens-shellcheck-${child.pid}-`), 'the batch had its directory');
    assert.deepStrictEqual(fs.readdirSync(root), [], 'nothing left behind');
  });

  it('sweeps the directories of processes that are gone, and only those (and only directories)', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const dead = path.join(root, `layerlens-shellcheck-${gone}-AbC123`);
    const alive = path.join(root, `layerlens-shellcheck-${process.ppid}-XyZ789`);
    const own = path.join(root, `layerlens-shellcheck-${process.pid}-QwE456`);
    const older = path.join(root, 'layerlens-shellcheck-q1W2e3');
    const file = path.join(root, `layerlens-shellcheck-${gone}-FiLe00`);
    for (const dir of [dead, alive, own, older]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dead, '0.sh'), 'echo hi\n');
    fs.writeFileSync(file, 'not a directory');
    assert.deepStrictEqual(await sweepLeftovers(root), [path.basename(dead)]);
    assert.deepStrictEqual(fs.readdirSync(root).sort(), [alive, own, older, file].map((p) => path.basename(p)).sort());
  });
});
