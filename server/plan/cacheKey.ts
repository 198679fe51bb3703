// Cache keys: sha256 over the step's inputs in a fixed order, chained through the parent
// filesystem key, as BuildKit chains each LLB vertex digest to its inputs.
import * as crypto from 'crypto';
import { quote } from './jsonQuote';
import type { CacheKeyInputs } from './types';
import { serializedEntries } from './variableEntries';

export { quote };

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** A stable, unambiguous rendering of the inputs (every string JSON-quoted, fields in a fixed order). */
export function serializeInputs(inputs: CacheKeyInputs): string {
  const q = quote;
  let out = `${q(inputs.parent)}|${q(inputs.op)}|${q(inputs.command)}|${q(inputs.workdir)}|${q(inputs.user)}|${q(inputs.platform)}|env`;
  if (inputs.env.length > 0) out += serializedEntries(inputs.env);
  if (inputs.sources) {
    out += '|sources';
    for (const s of inputs.sources) out += `,${q(s.path)}=${q(s.checksum)}`;
  }
  if (inputs.options) {
    out += '|options';
    const keys = Object.keys(inputs.options);
    if (!sorted(keys)) keys.sort();
    for (const k of keys) out += `,${q(k)}=${q(inputs.options[k])}`;
  }
  if (inputs.base) out += `|base,${q(inputs.base.ref)}@${q(inputs.base.digest)}`;
  return out;
}

/** Whether `keys` is already in the order `sort()` gives (UTF-16 code units). */
function sorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/** The cache key of a step from its inputs. */
export function cacheKeyOf(inputs: CacheKeyInputs): string {
  return sha256Hex(serializeInputs(inputs));
}

/** The key of the filesystem after a `COPY --link` layer is merged onto `parent`. */
export function mergedKey(parent: string, layer: string): string {
  return sha256Hex(`merge|${parent}|${layer}`);
}
