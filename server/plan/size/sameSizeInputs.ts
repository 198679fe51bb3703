// Whether a re-planned step gives size prediction the same inputs as the step it replaces. An edit
// changes the cache keys (and so the step objects) of every step after it, and of every stage that
// COPY --from an edited one, while what their sizes depend on stays the same: compared by content.
import type { PlannedStep } from '../types';

/** Deep equality of plain data (JSON-like values: objects, arrays, primitives), keys in the same order. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== others[i] || !sameData((a as Record<string, unknown>)[keys[i]], (b as Record<string, unknown>)[keys[i]])) return false;
  }
  return true;
}

/** Same own keys with the same values (`undefined` values count: a declared ARG without one). */
function sameRecord(a: Readonly<Record<string, string | undefined>>, b: Readonly<Record<string, string | undefined>>): boolean {
  if (a === b) return true;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    count++;
    if (!Object.hasOwn(b, key) || a[key] !== b[key]) return false;
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--;
  return count === 0;
}

/**
 * Compares steps by what size prediction reads of them (index, kind, details, working directory,
 * ENV and ARG values); the cache key is left to the caller (measured sizes are looked up by it).
 * Consecutive steps share their ENV and ARG records, so the last comparison of each is kept.
 */
export class SizeInputComparer {
  private lastEnv: [object, object, boolean] | undefined;
  private lastArgs: [object, object, boolean] | undefined;

  sameStep(a: PlannedStep, b: PlannedStep): boolean {
    if (a === b) return true;
    if (a.index !== b.index || a.createsLayer !== b.createsLayer || a.instruction !== b.instruction || a.workdir !== b.workdir) return false;
    return this.sameEnv(a, b) && this.sameArgs(a, b) && sameData(a.details, b.details);
  }

  private sameEnv(a: PlannedStep, b: PlannedStep): boolean {
    const last = this.lastEnv;
    if (last && last[0] === a.env && last[1] === b.env) return last[2];
    const same = sameRecord(a.env, b.env);
    this.lastEnv = [a.env, b.env, same];
    return same;
  }

  private sameArgs(a: PlannedStep, b: PlannedStep): boolean {
    const last = this.lastArgs;
    if (last && last[0] === a.args && last[1] === b.args) return last[2];
    const same = sameRecord(a.args, b.args);
    this.lastArgs = [a.args, b.args, same];
    return same;
  }
}
