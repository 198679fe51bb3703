import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readAptBase } from '../../../../server/packages/debian/aptBase';
import { rootfsImageFiles } from '../../../../server/packages/imageFiles';

describe('readAptBase (facts of a local Debian image)', () => {
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-aptbase-'));
    const write = (p: string, text: string | Buffer): void => {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), text);
    };
    write('var/lib/dpkg/status', 'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\n');
    write('etc/apt/sources.list', 'deb http://deb.debian.org/debian bookworm main\n');
    write('var/cache/debconf/templates.dat', Buffer.alloc(750_000, 'x'));
    write('var/cache/debconf/config.dat', Buffer.alloc(4_000, 'y'));
    write('var/cache/debconf/templates.dat-old', Buffer.alloc(10, 'z'));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads the debconf databases\' and the dpkg status file\'s sizes (not the *-old copies)', async () => {
    const base = await readAptBase(rootfsImageFiles({ 'bench/debian:12': root }), 'bench/debian:12', 'linux/amd64');
    assert.ok(base);
    assert.strictEqual(base.debconfBytes, 750_000 + 4_000);
    assert.strictEqual(base.statusBytes, fs.statSync(path.join(root, 'var/lib/dpkg/status')).size);
  });
});
