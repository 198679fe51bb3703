// Base-image sizes from a registry: the manifest (chosen for the platform from an index) lists
// each layer's compressed blob size. Neither the manifest nor the config tells the uncompressed
// size, so it stays unknown. Uses the runner's registry client: same auth, same HTTPS rules.
import { documentMediaType, INDEX_TYPES, MANIFEST_TYPES, parseIndexDocument, parseManifest } from '../../runner/store/imageJson';
import { formatImageReference, parseImageReference } from '../../runner/store/imageReference';
import { pullScope, RegistryClient } from '../../runner/registry/registryClient';
import { parsePlatform, selectPlatform } from '../../runner/registry/selectPlatform';
import type { ImageSize } from '../plan/size/sizeReaders';

export interface RegistryImageSizesOptions {
  /** Registries (`host:port`) that may be reached over plain HTTP; loopback always may. */
  insecureRegistries?: () => readonly string[];
}

/** Layer sizes of `ref` for `platform` as its registry's manifest gives them; throws with the reason. */
export async function fetchRegistryImageSize(ref: string, platform: string, options: RegistryImageSizesOptions = {}): Promise<ImageSize> {
  const parsed = parseImageReference(ref);
  const client = new RegistryClient(parsed.domain, { insecure: options.insecureRegistries?.().includes(parsed.domain) });
  const scope = pullScope(parsed.repository);
  const name = formatImageReference(parsed);
  let manifest = await client.getManifest(parsed.repository, parsed.digest ?? (parsed.tag as string), scope);
  let mediaType = documentMediaType(manifest.bytes, manifest.mediaType);
  if (INDEX_TYPES.includes(mediaType)) {
    const chosen = selectPlatform(parseIndexDocument(manifest.bytes, `index ${name}`), parsePlatform(platform));
    manifest = await client.getManifest(parsed.repository, chosen.digest, scope);
    mediaType = documentMediaType(manifest.bytes, chosen.mediaType);
  }
  if (!MANIFEST_TYPES.includes(mediaType)) throw new Error(`${name} is a '${mediaType}', not a container image`);
  const layers = parseManifest(manifest.bytes, `manifest ${manifest.digest}`).layers;
  return { source: 'registry', layers: layers.map((l) => ({ digest: l.digest, compressedBytes: l.size })) };
}
