// Cache keys: sha256 over a canonical JSON rendering of the step's inputs, chained through the
// parent filesystem key, as BuildKit chains each LLB vertex digest to its inputs.
import { createHash } from 'crypto';
import type { CacheKeyInputs } from './types';

/** Canonical JSON: object keys sorted, undefined fields dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The cache key of a step from its inputs. */
export function cacheKeyOf(inputs: CacheKeyInputs): string {
  return sha256Hex(canonicalJson(inputs));
}

/** The key of the filesystem after a `COPY --link` layer is merged onto `parent`. */
export function mergedKey(parent: string, layer: string): string {
  return sha256Hex(`merge\u0000${parent}\u0000${layer}`);
}
