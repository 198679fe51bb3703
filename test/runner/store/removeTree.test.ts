import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const STORE = path.resolve(__dirname, '..', '..', '..', 'runner', 'store', 'imageStore.js');

describe('removeTree', () => {
  it('removes a tree whose directories its owner made read-only (an unpacked layer), many entries wide, as that user', function () {
    if (process.getuid?.() !== 0) this.skip(); // needs a second user: CI runs as root
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-remove-'));
    fs.chmodSync(root, 0o777);
    const tree = path.join(root, 'trash');
    try {
      // Read-only directories with many siblings: rm fails with EACCES while it is still removing
      // other entries, which then vanish under the walk that opens the directories.
      for (let d = 0; d < 40; d++) {
        const dir = path.join(tree, `dir${d}`, 'sub');
        fs.mkdirSync(dir, { recursive: true });
        for (let f = 0; f < 20; f++) fs.writeFileSync(path.join(dir, `f${f}`), 'x');
      }
      execFileSync('chown', ['-R', '65534:65534', tree]);
      for (let d = 0; d < 40; d += 2) fs.chmodSync(path.join(tree, `dir${d}`, 'sub'), 0o500);
      const script = `require(${JSON.stringify(STORE)}).removeTree(${JSON.stringify(tree)}).then(() => process.stdout.write('removed'))`;
      const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
      assert.strictEqual(out, 'removed');
      assert.strictEqual(fs.existsSync(tree), false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
