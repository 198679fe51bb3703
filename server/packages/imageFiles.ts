// Reading files of a base image, for package metadata (dpkg status, apt sources and config,
// apk database). The image store implements this for local images; a root-filesystem
// directory implementation serves tests, benchmarks and unpacked images.
import { readFile, readdir } from 'fs/promises';
import * as path from 'path';

export interface ImageFiles {
  /** The file's bytes, or undefined when the image is not local or has no such file. */
  readFile(ref: string, platform: string, filePath: string): Promise<Buffer | undefined>;
  /** Names in a directory, or undefined. */
  listDirectory(ref: string, platform: string, dirPath: string): Promise<string[] | undefined>;
  /** Whether the image's files are available at all. */
  has(ref: string, platform: string): Promise<boolean>;
}

/** Images given as unpacked root filesystems: `{ 'debian:12': '/var/tmp/rootfs' }`. */
export function rootfsImageFiles(roots: Record<string, string>): ImageFiles {
  const inside = (root: string, p: string): string => path.join(root, path.posix.normalize('/' + p));
  return {
    async readFile(ref, _platform, filePath) {
      const root = roots[ref];
      return root === undefined ? undefined : readFile(inside(root, filePath)).catch(() => undefined);
    },
    async listDirectory(ref, _platform, dirPath) {
      const root = roots[ref];
      return root === undefined ? undefined : readdir(inside(root, dirPath)).catch(() => undefined);
    },
    async has(ref) {
      return roots[ref] !== undefined;
    },
  };
}
