// ImageFiles over the local image store: the files of a stored image (its layers stacked, whiteouts
// applied), read from the layer blobs without unpacking anything. One pass over the layers per
// image, cached by manifest digest; package databases and configuration keep their contents.
import type { ImageFiles } from '../packages/imageFiles';
import { openLayerTar } from './layerTar';
import { type ImageFileView, readImageFileView, resolveInView } from './imageFileView';
import { StoreImages } from './storeImages';

/** Paths whose contents the one pass keeps: what the apt and apk models read. */
export function isPackageMetadataPath(p: string): boolean {
  return (
    p.startsWith('/etc/apt/') || p.startsWith('/etc/apk/') || p.startsWith('/var/cache/debconf/') || p.startsWith('/var/lib/dpkg/status') || p === '/lib/apk/db/installed' ||
    p === '/etc/os-release' || p === '/usr/lib/os-release' || p === '/etc/debian_version' || p === '/etc/alpine-release'
  );
}

export interface StoreImageFilesOptions {
  /** Store root (default: the runner's default store). */
  root?: string;
  /** Which file contents to keep (default: package metadata). Others read as undefined. */
  keep?: (path: string) => boolean;
  /** Most image views kept in memory. */
  maxImages?: number;
}

export class StoreImageFiles implements ImageFiles {
  private readonly images: StoreImages;
  private readonly views = new Map<string, Promise<ImageFileView>>();
  private readonly keep: (path: string) => boolean;
  private readonly maxImages: number;

  constructor(options: StoreImageFilesOptions = {}) {
    this.images = new StoreImages(options.root);
    this.keep = options.keep ?? isPackageMetadataPath;
    this.maxImages = options.maxImages ?? 8;
  }

  async has(ref: string, platform: string): Promise<boolean> {
    return (await this.images.find(ref, platform)) !== undefined;
  }

  async readFile(ref: string, platform: string, filePath: string): Promise<Buffer | undefined> {
    const view = await this.viewOf(ref, platform);
    const found = view && resolveInView(view, filePath);
    return found?.entry.kind === 'file' ? found.entry.content : undefined;
  }

  async listDirectory(ref: string, platform: string, dirPath: string): Promise<string[] | undefined> {
    const view = await this.viewOf(ref, platform);
    const found = view && resolveInView(view, dirPath);
    if (!view || !found || found.entry.kind !== 'dir') return undefined;
    return [...(view.children.get(found.path) ?? [])].sort();
  }

  /** The stacked files of the image, or undefined when it is not stored (or unreadable). */
  private async viewOf(ref: string, platform: string): Promise<ImageFileView | undefined> {
    const store = await this.images.open();
    const image = await this.images.find(ref, platform);
    if (!store || !image) return undefined;
    let view = this.views.get(image.manifestDigest);
    if (!view) {
      view = readImageFileView(image.layers.map((layer) => () => openLayerTar(store, layer)), this.keep);
      this.views.set(image.manifestDigest, view);
      view.catch(() => this.views.delete(image.manifestDigest));
      if (this.views.size > this.maxImages) this.views.delete(this.views.keys().next().value as string);
    }
    return view.catch(() => undefined);
  }
}
