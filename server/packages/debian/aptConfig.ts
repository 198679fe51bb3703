// The apt settings of a base image that change what an install leaves behind.

export interface AptBehaviour {
  /** APT::Install-Recommends (default true). */
  recommends: boolean;
  /** Downloaded .deb files stay in /var/cache/apt/archives (no docker-clean Post-Invoke). */
  keepsArchives: boolean;
  /** pkgcache.bin / srcpkgcache.bin are written (Dir::Cache::pkgcache not emptied). */
  writesPkgcache: boolean;
  /** Lists are stored compressed (Acquire::GzipIndexes). */
  compressedLists: boolean;
  /** Translation files are downloaded (Acquire::Languages not "none"). */
  downloadsTranslations: boolean;
}

export const DEFAULT_APT: AptBehaviour = { recommends: true, keepsArchives: true, writesPkgcache: true, compressedLists: false, downloadsTranslations: true };

/** Applies the apt.conf fragments (in file-name order, as apt reads them). */
export function readAptBehaviour(fragments: readonly string[]): AptBehaviour {
  const b = { ...DEFAULT_APT };
  for (const raw of fragments) {
    const text = raw.replace(/\/\/.*$|#.*$/gm, '');
    const rec = /APT::Install-Recommends\s+"([^"]*)"/i.exec(text);
    if (rec) b.recommends = /^(1|true|yes|on)$/i.test(rec[1]);
    if (/Dir::Cache::pkgcache\s+""/i.test(text)) b.writesPkgcache = false;
    if (/Post-Invoke[\s\S]*?\/var\/cache\/apt\/archives\/\*\.deb/i.test(text)) b.keepsArchives = false;
    if (/APT::Keep-Downloaded-Packages\s+"(false|0|no)"/i.test(text)) b.keepsArchives = false;
    const gz = /Acquire::GzipIndexes\s+"([^"]*)"/i.exec(text);
    if (gz) b.compressedLists = /^(1|true|yes|on)$/i.test(gz[1]);
    if (/Acquire::Languages\s+"none"/i.test(text)) b.downloadsTranslations = false;
  }
  return b;
}
