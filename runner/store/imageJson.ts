// Parses manifests, indexes and image configs from untrusted bytes (registries, tarballs, a store
// someone edited) into typed values, with an error that says where and what was expected.
import { isSha256Digest } from './digest';
import { Descriptor, ImageIndex, ImageManifest, MediaTypes, OciImageConfig } from './ociTypes';

export class ImageJsonError extends Error {}

function parseJson(bytes: Uint8Array | string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new ImageJsonError(`${where}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImageJsonError(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function checkDescriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor>;
  if (typeof value !== 'object' || value === null) throw new ImageJsonError(`${where}: expected a descriptor object`);
  if (typeof d.mediaType !== 'string') throw new ImageJsonError(`${where}.mediaType: expected a string`);
  if (typeof d.digest !== 'string' || !isSha256Digest(d.digest)) throw new ImageJsonError(`${where}.digest: expected sha256:<64 hex digits>, got '${String(d.digest).slice(0, 80)}'`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw new ImageJsonError(`${where}.size: expected a non-negative integer`);
  return d as Descriptor;
}

export const MANIFEST_TYPES: readonly string[] = [MediaTypes.ociManifest, MediaTypes.dockerManifest];
export const INDEX_TYPES: readonly string[] = [MediaTypes.ociIndex, MediaTypes.dockerManifestList];

/** The media type a manifest-ish document declares (falling back to what the server said). */
export function documentMediaType(bytes: Uint8Array, contentType?: string): string {
  const doc = parseJson(bytes, 'manifest');
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  if (Array.isArray(doc.manifests)) return MediaTypes.ociIndex;
  if (doc.config && Array.isArray(doc.layers)) return MediaTypes.ociManifest;
  return contentType ?? 'unknown';
}

export function parseManifest(bytes: Uint8Array, where: string): ImageManifest {
  const doc = parseJson(bytes, where);
  if (doc.schemaVersion !== 2) throw new ImageJsonError(`${where}: expected schemaVersion 2 (schema 1 manifests are not supported)`);
  if (doc.mediaType !== undefined && !MANIFEST_TYPES.includes(doc.mediaType as string)) {
    throw new ImageJsonError(`${where}: media type '${String(doc.mediaType)}' is not an image manifest`);
  }
  checkDescriptor(doc.config, `${where}: config`);
  if (!Array.isArray(doc.layers)) throw new ImageJsonError(`${where}: expected a layers array`);
  doc.layers.forEach((l, i) => checkDescriptor(l, `${where}: layers[${i}]`));
  return doc as unknown as ImageManifest;
}

export function parseIndexDocument(bytes: Uint8Array, where: string): ImageIndex {
  const doc = parseJson(bytes, where);
  if (doc.schemaVersion !== 2 || !Array.isArray(doc.manifests)) throw new ImageJsonError(`${where}: expected an image index with schemaVersion 2 and a manifests array`);
  doc.manifests.forEach((m, i) => checkDescriptor(m, `${where}: manifests[${i}]`));
  return doc as unknown as ImageIndex;
}

function checkStringArray(value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ImageJsonError(`${where}: expected an array of strings`);
}

export function parseImageConfig(bytes: Uint8Array, where: string): OciImageConfig {
  const doc = parseJson(bytes, where);
  const rootfs = doc.rootfs as { type?: unknown; diff_ids?: unknown } | undefined;
  if (!rootfs || typeof rootfs !== 'object' || rootfs.type !== 'layers' || !Array.isArray(rootfs.diff_ids)) {
    throw new ImageJsonError(`${where}: expected rootfs {type: "layers", diff_ids: [...]}`);
  }
  rootfs.diff_ids.forEach((d, i) => {
    if (typeof d !== 'string' || !isSha256Digest(d)) throw new ImageJsonError(`${where}: rootfs.diff_ids[${i}]: expected sha256:<64 hex digits>`);
  });
  if (typeof doc.architecture !== 'string' || typeof doc.os !== 'string') throw new ImageJsonError(`${where}: expected architecture and os strings`);
  const config = doc.config as Record<string, unknown> | undefined | null;
  if (config !== undefined && config !== null) {
    if (typeof config !== 'object') throw new ImageJsonError(`${where}: config: expected an object`);
    for (const key of ['Env', 'Cmd', 'Entrypoint', 'OnBuild', 'Shell']) checkStringArray(config[key], `${where}: config.${key}`);
    for (const key of ['User', 'WorkingDir', 'StopSignal']) {
      if (config[key] !== undefined && typeof config[key] !== 'string') throw new ImageJsonError(`${where}: config.${key}: expected a string`);
    }
  } else if (config === null) {
    delete doc.config;
  }
  if (doc.history !== undefined && !Array.isArray(doc.history)) throw new ImageJsonError(`${where}: history: expected an array`);
  return doc as unknown as OciImageConfig;
}
