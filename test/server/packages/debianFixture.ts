// A small Debian world on disk: a base root filesystem (dpkg status, sources, apt config) and an
// apt lists directory holding the index its sources point at, in the real file formats.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const PACKAGES = `Package: curl
Version: 7.88.1-10+deb12u5
Architecture: amd64
Installed-Size: 500
Depends: libc6 (>= 2.34), libcurl4 (= 7.88.1-10+deb12u5)
Recommends: ca-certificates
Size: 315000

Package: libcurl4
Version: 7.88.1-10+deb12u5
Architecture: amd64
Installed-Size: 1000
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.0) | libssl1.1
Size: 390000

Package: libssl3
Version: 3.0.11-1~deb12u2
Architecture: amd64
Installed-Size: 6000
Depends: libc6 (>= 2.34)
Size: 2000000

Package: libssl1.1
Version: 1.1.1n-0+deb11u5
Architecture: amd64
Installed-Size: 4000
Size: 1500000

Package: ca-certificates
Version: 20230311
Architecture: all
Installed-Size: 400
Depends: openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0
Size: 150000

Package: openssl
Version: 3.0.11-1~deb12u2
Architecture: amd64
Installed-Size: 2000
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)
Size: 1400000

Package: libc6
Version: 2.36-9+deb12u4
Architecture: amd64
Installed-Size: 12000
Priority: required
Size: 2700000

Package: base-files
Version: 12.4+deb12u5
Architecture: amd64
Essential: yes
Priority: required
Installed-Size: 400
Size: 70000

Package: debconf
Version: 1.5.82
Architecture: all
Priority: required
Installed-Size: 500
Provides: debconf-2.0
Size: 120000

Package: mutt
Version: 2.2.9-1
Architecture: amd64
Installed-Size: 7000
Depends: libc6, default-mta | mail-transport-agent
Size: 2000000

Package: postfix
Version: 3.7.10-0+deb12u1
Architecture: amd64
Installed-Size: 4000
Provides: mail-transport-agent
Size: 1500000

Package: libc6
Version: 2.31-13+deb11u5
Architecture: amd64
Installed-Size: 11000
Size: 2600000

Package: winelib
Version: 1.0
Architecture: i386
Installed-Size: 99999
Size: 1
`;

export const STATUS = `Package: base-files
Status: install ok installed
Version: 12.4+deb12u5
Essential: yes

Package: libc6
Status: install ok installed
Version: 2.36-9+deb12u4

Package: debconf
Status: install ok installed
Version: 1.5.82
Provides: debconf-2.0

Package: openssl
Status: deinstall ok config-files
Version: 3.0.11-1~deb12u2
`;

export interface DebianFixture {
  root: string;
  rootfs: string;
  lists: string;
}

/** Writes the fixture; `dockerClean` adds the official images' apt.conf.d files. */
export function writeDebianFixture(options: { dockerClean?: boolean; recommends?: boolean } = {}): DebianFixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-deb-'));
  const rootfs = path.join(root, 'rootfs');
  const lists = path.join(root, 'lists');
  const put = (p: string, text: string): void => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  put(path.join(rootfs, 'var/lib/dpkg/status'), STATUS);
  put(path.join(rootfs, 'etc/apt/sources.list'), '# comment\ndeb http://deb.example/debian bookworm main\n');
  put(path.join(rootfs, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
  put(path.join(rootfs, 'var/cache/debconf/templates.dat'), 'x'.repeat(3000));
  if (options.dockerClean) {
    put(path.join(rootfs, 'etc/apt/apt.conf.d/docker-clean'), 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n');
    put(path.join(rootfs, 'etc/apt/apt.conf.d/docker-gzip-indexes'), 'Acquire::GzipIndexes "true";\n');
    put(path.join(rootfs, 'etc/apt/apt.conf.d/docker-no-languages'), 'Acquire::Languages "none";\n');
  }
  if (options.recommends === false) put(path.join(rootfs, 'etc/apt/apt.conf.d/00norecommends'), 'APT::Install-Recommends "false";\n');
  put(path.join(lists, 'deb.example_debian_dists_bookworm_main_binary-amd64_Packages'), PACKAGES);
  const size = Buffer.byteLength(PACKAGES);
  put(
    path.join(lists, 'deb.example_debian_dists_bookworm_InRelease'),
    `Origin: Debian\nSuite: stable\nSHA256:\n ${'a'.repeat(64)} ${size} main/binary-amd64/Packages\n ${'b'.repeat(64)} 200000 main/i18n/Translation-en\n`,
  );
  return { root, rootfs, lists };
}
