// The numbers of the apt size model, in one place. Calibrated against real installs into a
// debootstrap'ed Debian 12 (see bench/size-accuracy and docs/size-prediction.md).

/**
 * Installed-Size is the sum of the files rounded up to KiB plus 1 KiB per directory and symlink
 * (dpkg-gencontrol); a layer tar stores each file with a 512-byte header and padding to 512 bytes.
 * The two overheads are close: the tar is this factor times Installed-Size.
 */
export const TAR_PER_INSTALLED_BYTE = 1.0;

/** Average bytes per file of Debian packages, to estimate file counts from Installed-Size. */
export const AVERAGE_FILE_BYTES = 14 * 1024;

/** dpkg's per-file bookkeeping: a line in info/<pkg>.list and one in info/<pkg>.md5sums. */
export const BOOKKEEPING_PER_FILE = 150;

/** Per package: info/<pkg>.* files (headers, scripts), a status stanza, log lines. */
export const BOOKKEEPING_PER_PACKAGE = 4 * 1024;

/** Logs (dpkg.log, apt/history.log, term.log, eipp.log.xz), extended_states, ld.so.cache. */
export const BOOKKEEPING_FIXED = 64 * 1024;

/** Typical /var/lib/dpkg/status and debconf database sizes of an official Debian/Ubuntu image. */
export const ASSUMED_STATUS_BYTES = 70 * 1024;
export const ASSUMED_DEBCONF_BYTES = 400 * 1024;

/**
 * What an install leaves of the debconf databases (templates.dat, config.dat): apt opens them, so
 * overlayfs copies them up; when a new package has templates (it depends on debconf or
 * debconf-2.0, as policy requires), debconf saves them again and keeps the previous ones as
 * `*-old`, twice the bytes (measured: 1.56 MB for a 757 kB database with ca-certificates; 757 kB
 * for curl alone).
 */
export function debconfBytesWritten(databaseBytes: number, packages: readonly { depends: { name: string }[][]; preDepends: { name: string }[][] }[]): number {
  const templates = packages.some((p) => [...p.depends, ...p.preDepends].some((group) => group.some((r) => r.name === 'debconf' || r.name === 'debconf-2.0')));
  return templates ? 2 * databaseBytes : databaseBytes;
}

/** lz4-compressed lists (Acquire::GzipIndexes with apt >= 1.1) relative to the plain index. */
export const LZ4_LIST_RATIO = 0.37;

/** pkgcache.bin and srcpkgcache.bin (each) relative to the plain Packages text they index (39.1 MB for bookworm main's 50.1 MB). */
export const PKGCACHE_PER_INDEX_BYTE = 0.78;

/**
 * Python packages ship sources and byte-compile them at install (py3compile): the .pyc files
 * are not in Installed-Size. Measured: 11.6 MB of .pyc for 21.2 MB of python3.11 packages
 * (the interpreter and its standard library, which also hold binaries and data).
 */
export const PYC_PER_PYTHON_BYTE = 0.54;

/**
 * Packages of Python modules (`python3-six`, and `gyp`, which npm pulls in) are mostly sources:
 * measured in the builds bench, 2.56 MB of .pyc for 2.31 MB of Installed-Size.
 */
export const PYC_PER_MODULE_BYTE = 1.0;

/** The interpreter and standard-library packages (python3, python3.11-minimal, libpython3.11-stdlib, ...). */
export const BYTE_COMPILED = /^(lib)?python3(\.\d+)?(-minimal|-stdlib)?$/;

/** Bytes of .pyc files an install adds for a package: the interpreter's, or a module package's (it depends on python3). */
export function byteCompiledBytes(pkg: { name: string; installedBytes: number; depends: { name: string }[][] }): number {
  if (BYTE_COMPILED.test(pkg.name)) return pkg.installedBytes * PYC_PER_PYTHON_BYTE;
  const modules = pkg.name.startsWith('python3-') || pkg.depends.some((group) => group.some((r) => r.name === 'python3'));
  return modules ? pkg.installedBytes * PYC_PER_MODULE_BYTE : 0;
}
