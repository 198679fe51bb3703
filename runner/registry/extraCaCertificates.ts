// Certificates from NODE_EXTRA_CA_CERTS that Node did not load at start-up (bin/layerlens defers
// them, see runner/cli.ts). They are read on the first HTTPS request and added to Node's bundled
// roots, which is the trust Node itself would have set up. The file is remembered on globalThis
// because the CLI's bundles each carry their own copy of this module.
import * as fs from 'fs';
import * as tls from 'tls';

const KEY = Symbol.for('layerlens.deferredExtraCaCertificates');
type Holder = { [KEY]?: { file: string; loaded?: string[] } };

/** Records that `file`'s certificates must be added to this process's HTTPS requests. */
export function deferExtraCaCertificates(file: string): void {
  (globalThis as Holder)[KEY] = { file };
}

/**
 * The trust anchors for an HTTPS request: undefined (Node's defaults) unless certificates were
 * deferred. An unreadable file is skipped with a warning, as Node does with NODE_EXTRA_CA_CERTS.
 */
export function deferredCaCertificates(): string[] | undefined {
  const deferred = (globalThis as Holder)[KEY];
  if (!deferred) return undefined;
  if (!deferred.loaded) {
    try {
      deferred.loaded = [...tls.rootCertificates, fs.readFileSync(deferred.file, 'utf8')];
    } catch (err) {
      process.emitWarning(`Ignoring extra certs from \`${deferred.file}\`, load failed: ${(err as Error).message}`);
      deferred.loaded = [...tls.rootCertificates];
    }
  }
  return deferred.loaded;
}
