// `index.json` of the OCI image layout: one manifest descriptor per name (the full normalised name
// in `org.opencontainers.image.ref.name`), and descriptors without a name for untagged images.
import * as fs from 'fs';
import { isSha256Digest } from './digest';
import { Descriptor, ImageIndex, MediaTypes, REF_NAME_ANNOTATION } from './ociTypes';

export class IndexFileError extends Error {}

export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [] };
}

/** Parses index.json text, with a located error for anything that is not an OCI index. */
export function parseIndex(text: string, file: string): ImageIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new IndexFileError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const index = value as Partial<ImageIndex>;
  if (typeof value !== 'object' || value === null || index.schemaVersion !== 2 || !Array.isArray(index.manifests)) {
    throw new IndexFileError(`${file}: expected an OCI image index with schemaVersion 2 and a manifests array`);
  }
  index.manifests.forEach((d, i) => {
    if (typeof d !== 'object' || d === null || typeof d.digest !== 'string' || !isSha256Digest(d.digest) || typeof d.size !== 'number') {
      throw new IndexFileError(`${file}: manifests[${i}] is not a sha256 descriptor with a size`);
    }
  });
  return index as ImageIndex;
}

export async function readIndex(file: string): Promise<ImageIndex> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex();
    throw err;
  }
  return parseIndex(text, file);
}

export function refNameOf(d: Descriptor): string | undefined {
  return d.annotations?.[REF_NAME_ANNOTATION];
}

/** Points `name` at `manifest`, taking it from any other image (which keeps an untagged entry). */
export function setName(index: ImageIndex, name: string, manifest: Descriptor): void {
  const kept: Descriptor[] = [];
  for (const d of index.manifests) {
    if (refNameOf(d) !== name) {
      kept.push(d);
    } else if (d.digest !== manifest.digest) {
      const { [REF_NAME_ANNOTATION]: _dropped, ...rest } = d.annotations ?? {};
      kept.push({ ...d, annotations: Object.keys(rest).length ? rest : undefined });
    }
  }
  kept.push({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, annotations: { ...manifest.annotations, [REF_NAME_ANNOTATION]: name } });
  index.manifests = dedupe(kept);
}

/** Adds an untagged entry for `manifest` unless it is already in the index. */
export function addUntagged(index: ImageIndex, manifest: Descriptor): void {
  if (!index.manifests.some((d) => d.digest === manifest.digest)) {
    index.manifests.push({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size });
  }
}

/** Removes `name`; the image stays as an untagged entry when it has no other name. */
export function removeName(index: ImageIndex, name: string): void {
  const entry = index.manifests.find((d) => refNameOf(d) === name);
  if (!entry) return;
  index.manifests = index.manifests.filter((d) => d !== entry);
  addUntagged(index, entry);
}

/** Removes every entry of `manifestDigest`. */
export function removeManifest(index: ImageIndex, manifestDigest: string): void {
  index.manifests = index.manifests.filter((d) => d.digest !== manifestDigest);
}

/** Untagged duplicates are dropped when the same manifest also has a name. */
function dedupe(entries: Descriptor[]): Descriptor[] {
  const named = new Set(entries.filter((d) => refNameOf(d)).map((d) => d.digest));
  const seen = new Set<string>();
  return entries.filter((d) => {
    const name = refNameOf(d);
    if (name) return true;
    if (named.has(d.digest) || seen.has(d.digest)) return false;
    seen.add(d.digest);
    return true;
  });
}

export function normaliseIndex(index: ImageIndex): ImageIndex {
  return { ...index, manifests: dedupe(index.manifests) };
}
