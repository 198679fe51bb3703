// The image store: an OCI image layout plus unpacked layer directories shared between images.
// SKELETON: the API contract for runner/run and runner/build; bodies follow in the next commits.
import * as path from 'path';
import { OciImageConfig } from './ociTypes';
import { defaultStoreRoot } from './storeRoot';
import {
  FsckReport, ImportOptions, PruneReport, RemoveOptions, RemoveResult, StagedLayer, StoredImage, WriteImageOptions,
} from './storeTypes';

export type { StoredImage, StoredLayer, StagedLayer } from './storeTypes';
export type { OciImageConfig };

/** Where `commitLayer` reads a layer from: a tar stream, or an overlay upper directory. */
export type LayerSource = { tar: AsyncIterable<Uint8Array> } | { directory: string };

export class ImageStore {
  readonly containersDir: string;

  private constructor(readonly root: string) {
    this.containersDir = path.join(root, 'containers');
  }

  static async open(root: string = defaultStoreRoot()): Promise<ImageStore> {
    return new ImageStore(path.resolve(root));
  }

  async resolveImage(_ref: string): Promise<StoredImage | undefined> { throw new Error('not implemented yet'); }
  async unpackedLayerDirs(_image: StoredImage): Promise<string[]> { throw new Error('not implemented yet'); }
  async listImages(): Promise<StoredImage[]> { throw new Error('not implemented yet'); }
  async tagImage(_ref: string, _newRef: string): Promise<StoredImage> { throw new Error('not implemented yet'); }
  async removeImage(_ref: string, _opts: RemoveOptions = {}): Promise<RemoveResult> { throw new Error('not implemented yet'); }
  async importRootfsTarball(_tarPath: string, _ref?: string, _opts: ImportOptions = {}): Promise<StoredImage> { throw new Error('not implemented yet'); }
  async commitLayer(_source: LayerSource): Promise<StagedLayer> { throw new Error('not implemented yet'); }
  async writeImage(_opts: WriteImageOptions): Promise<StoredImage> { throw new Error('not implemented yet'); }
  async withLock<T>(fn: () => Promise<T>): Promise<T> { return fn(); }
  async fsck(_opts: { repair?: boolean } = {}): Promise<FsckReport> { throw new Error('not implemented yet'); }
  async prune(): Promise<PruneReport> { throw new Error('not implemented yet'); }
}
