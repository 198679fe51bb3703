// Picks the manifest for a platform from an image index / Docker manifest list, skipping
// attestation manifests (BuildKit's provenance/SBOM entries with platform unknown/unknown).
import { Descriptor, ImageIndex, Platform } from '../store/ociTypes';

export class PlatformError extends Error {}

export function formatPlatform(p: Partial<Platform>): string {
  return [p.os ?? '?', p.architecture ?? '?', p.variant].filter(Boolean).join('/');
}

/** `linux/arm64/v8` -> Platform. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, ...rest] = text.split('/');
  if (!os || !architecture || rest.length > 0) throw new PlatformError(`invalid platform '${text}': expected os/arch[/variant], e.g. linux/amd64`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function isAttestation(d: Descriptor): boolean {
  return d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown');
}

/** arm64 images without a variant are v8; 32-bit arm without a variant is v7 at best. */
function variantOf(p: Partial<Platform>): string | undefined {
  if (p.variant) return p.variant;
  if (p.architecture === 'arm64') return 'v8';
  return undefined;
}

export function selectPlatform(index: ImageIndex, want: Platform): Descriptor {
  const candidates = index.manifests.filter((d) => !isAttestation(d));
  const sameArch = candidates.filter((d) => d.platform?.os === want.os && d.platform.architecture === want.architecture);
  const wantVariant = variantOf(want);
  const exact = sameArch.find((d) => variantOf(d.platform as Platform) === wantVariant);
  if (exact) return exact;
  if (!want.variant && sameArch.length > 0) return sameArch[0];
  if (want.architecture === 'arm' && wantVariant) {
    // an armv7 machine runs v6 and v5 images
    const order = ['v7', 'v6', 'v5'].slice(['v7', 'v6', 'v5'].indexOf(wantVariant));
    for (const v of order) {
      const found = sameArch.find((d) => d.platform?.variant === v);
      if (found) return found;
    }
  }
  const withoutPlatform = candidates.filter((d) => !d.platform);
  if (withoutPlatform.length === 1 && candidates.length === 1) return withoutPlatform[0];
  const available = candidates.map((d) => formatPlatform(d.platform ?? {})).join(', ') || 'none';
  throw new PlatformError(`no image for ${formatPlatform(want)} (available: ${available}); choose one with --platform`);
}
