// Disk accounting as a base-plus-differences model: layers are stored once however many images
// use them, so each image has a part it shares with other images and a part that is its own;
// a container adds its writable layer on top of its image.

export interface StoredLayer {
  /** Content identity (diff_id or blob digest). */
  digest: string;
  bytes: number;
}

export interface ImageLayers {
  id: string;
  layers: StoredLayer[];
}

export interface ContainerLayer {
  id: string;
  imageId: string;
  /** Bytes in its writable (upper) layer. */
  writableBytes: number;
}

export interface ImageDiskUsage {
  id: string;
  /** Sum of its layers, as if stored alone. */
  bytes: number;
  /** Bytes in layers that other images also use. */
  sharedBytes: number;
  /** Bytes only this image uses (what removing it frees, unless containers use it). */
  uniqueBytes: number;
  containers: number;
}

export interface DiskUsage {
  images: ImageDiskUsage[];
  containers: (ContainerLayer & { totalBytes: number })[];
  /** Bytes actually stored: each distinct layer once, plus writable layers. */
  storedBytes: number;
  /** What storing each image separately would take, minus what is stored. */
  savedBySharing: number;
}

/** Computes shared and unique bytes per image; a layer listed twice in one image counts once. */
export function accountDiskUsage(images: readonly ImageLayers[], containers: readonly ContainerLayer[] = []): DiskUsage {
  const users = new Map<string, Set<string>>();
  const sizes = new Map<string, number>();
  for (const image of images) {
    for (const layer of image.layers) {
      sizes.set(layer.digest, layer.bytes);
      const set = users.get(layer.digest) ?? new Set<string>();
      set.add(image.id);
      users.set(layer.digest, set);
    }
  }
  const usage = images.map((image): ImageDiskUsage => {
    const distinct = new Map(image.layers.map((l) => [l.digest, l.bytes]));
    let bytes = 0;
    let sharedBytes = 0;
    for (const [digest, size] of distinct) {
      bytes += size;
      if ((users.get(digest)?.size ?? 0) > 1) sharedBytes += size;
    }
    return { id: image.id, bytes, sharedBytes, uniqueBytes: bytes - sharedBytes, containers: containers.filter((c) => c.imageId === image.id).length };
  });
  const byId = new Map(usage.map((u) => [u.id, u]));
  const layersBytes = [...sizes.values()].reduce((s, b) => s + b, 0);
  const writable = containers.reduce((s, c) => s + c.writableBytes, 0);
  return {
    images: usage,
    containers: containers.map((c) => ({ ...c, totalBytes: (byId.get(c.imageId)?.bytes ?? 0) + c.writableBytes })),
    storedBytes: layersBytes + writable,
    savedBySharing: usage.reduce((s, u) => s + u.bytes, 0) - layersBytes,
  };
}
