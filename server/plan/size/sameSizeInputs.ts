// Whether a re-planned step gives size prediction the same inputs as the step it replaces. An edit
// changes the cache keys (and so the step objects) of every step after it, and of every stage that
// COPY --from an edited one, while what their sizes depend on stays the same: compared by content.
import type { PlannedStep } from '../types';

/**
 * Deep equality of plain data (JSON-like values: plain objects, arrays, primitives). Key order is
 * ignored: size prediction reads these values by name, never by enumerating them.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // for-in over plain objects: own keys, without allocating a key list.
  let count = 0;
  for (const key in x) {
    count++;
    const w = y[key];
    if (!sameData(x[key], w) || (w === undefined && !Object.hasOwn(y, key))) return false;
  }
  return count === keyCount(y);
}

function keyCount(record: object): number {
  let count = 0;
  for (const key in record) if (key !== undefined) count++;
  return count;
}

/**
 * Compares steps by what size prediction reads of them (index, kind, details, working directory,
 * and for RUN the ENV and ARG values); the cache key is left to the caller (measured sizes are
 * looked up by it).
 * Consecutive steps share their ENV and ARG records, so the last comparison of each is kept.
 */
export class SizeInputComparer {
  /** The last ENV and the last ARG comparison: the records compared and the answer. */
  private readonly last: { env?: [object, object, boolean]; args?: [object, object, boolean] } = {};

  sameStep(a: PlannedStep, b: PlannedStep): boolean {
    if (a === b) return true;
    if (a.index !== b.index || a.createsLayer !== b.createsLayer || a.instruction !== b.instruction || a.workdir !== b.workdir) return false;
    // Only a RUN reads the variables (its script is split with them).
    return sameData(a.details, b.details) && (a.details.kind !== 'run' || (this.sameVariables('env', a.env, b.env) && this.sameVariables('args', a.args, b.args)));
  }

  /** Same own keys with the same values (`undefined` values count: a declared ARG without one). */
  private sameVariables(which: 'env' | 'args', a: object, b: object): boolean {
    const last = this.last[which];
    if (last && last[0] === a && last[1] === b) return last[2];
    const same = sameData(a, b);
    this.last[which] = [a, b, same];
    return same;
  }
}
