// Size readers for editing-session properties: a build context, local images, a package table and
// download sizes, and news that changes the last two at some version (a package's size and a
// download's length arriving).
import type { FileNode } from '../../../../server/plan/size/fileTree';
import type { DownloadSizeReader, Lookup, SizeReaders } from '../../../../server/plan/size/sizeReaders';
import { TablePackages } from './tablePackages';

/** Download sizes: pending until the answer came (no `version()`: pending alone must force a new prediction). */
class LateDownloads implements DownloadSizeReader {
  arrived = false;
  contentLength(url: string): Lookup<number> {
    if (!url.includes('x.tar')) return { state: 'unknown', reason: 'offline' };
    return this.arrived ? { state: 'known', value: 123_456 } : { state: 'pending', reason: 'asking the server' };
  }
}

/** The readers of one session over `tree` (its vendor.tar.gz an archive), and the news to deliver. */
export function sessionReaders(tree: FileNode): { readers: SizeReaders; news: () => void } {
  const packages = new TablePackages(new Map([['curl', 400_000], ['jq', 90_000], ['flask', 2_000_000]]));
  const downloads = new LateDownloads();
  const readers: SizeReaders = {
    context: {
      tree: () => tree,
      unavailableReason: () => '',
      archive: (path) => (path === 'vendor.tar.gz' ? { state: 'archive', format: 'gzip', entries: [{ path: 'vendor/x', kind: 'file', size: 9000 }, { path: 'vendor', kind: 'dir', size: 0 }] } : { state: 'not-archive' }),
    },
    images: { imageSize: (ref) => ({ state: 'known', value: { source: 'local', layers: [{ digest: `sha256:${ref.length}`, uncompressedBytes: 1000 * ref.length }] } }) },
    packages,
    downloads,
  };
  return {
    readers,
    news: () => {
      packages.sizes.set('curl', 999_000);
      packages.changes++;
      downloads.arrived = true;
    },
  };
}
