// The sorted `KEY=VALUE` entries of a stage's variables (what enters a RUN cache key), kept per
// variables object. A variables object made by `withVariables` remembers what it was made from,
// so its entries are the parent's with a few entries replaced: no re-sort of every variable at
// each ENV or ARG, which made planning quadratic in the variables a stage sets.
import { copyRecord } from './copyRecord';
import { quote } from './jsonQuote';

type Variables = Readonly<Record<string, string>>;

interface Derivation {
  from: Variables;
  changes: readonly (readonly [string, string])[];
}

interface Entries {
  /** `KEY=VALUE`, sorted as `Array.prototype.sort` sorts them (UTF-16 code units). */
  sorted: string[];
  /** `,"KEY=VALUE"` (JSON-quoted) of each sorted entry, in the same order. */
  quoted: string[];
}

const derivations = new WeakMap<Variables, Derivation>();
/** Sorted entries of flattened and root variables objects; with `last`, where derivation starts. */
const sortedByVariables = new WeakMap<Variables, string[]>();
let last: { vars: Variables; sorted: string[] } | undefined;
/** The quoted entries and the joined rendering of the last entries only: they are derived in step order, and a plan keeps no copy. */
let lastQuoted: Entries | undefined;
let lastSerialized: { sorted: readonly string[]; serialized: string } | undefined;

/** Longest chain of derived variables objects before one is flattened (bounds a lookup's walk). */
const maxDepth = 16;
const depths = new WeakMap<Variables, number>();

/**
 * `vars` with `changes` applied in order, remembering how it was made. The result inherits the
 * variables it does not set from `vars` (a prototype chain, flattened every few levels), so an
 * ENV or ARG costs the variables it sets, not every variable of the stage. Read it by key only.
 */
export function withVariables(vars: Variables, changes: readonly (readonly [string, string])[]): Variables {
  const depth = (depths.get(vars) ?? 0) + 1;
  const next: Record<string, string> = depth > maxDepth ? flatten(vars) : Object.create(vars);
  for (const [key, value] of changes) Object.defineProperty(next, key, { value, enumerable: true, writable: true, configurable: true });
  depths.set(next, depth > maxDepth ? 0 : depth);
  derivations.set(next, { from: vars, changes });
  return next;
}

/** Every variable of a chain as own properties of one object: the flat ancestor's copy, then each level's changes. */
function flatten(vars: Variables): Record<string, string> {
  const levels: Derivation[] = [];
  let at = vars;
  for (let d = derivations.get(at); d && depths.get(at) !== 0; d = derivations.get(at)) {
    levels.push(d);
    at = d.from;
  }
  const changes: (readonly [string, string])[] = [];
  for (let i = levels.length - 1; i >= 0; i--) for (const change of levels[i].changes) changes.push(change);
  return copyRecord(at, changes);
}

/** The value of a variable (own or inherited), ignoring what objects inherit from Object.prototype. */
export function variableValue(vars: Variables, key: string): string | undefined {
  const value: unknown = vars[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `KEY=VALUE` of every variable, sorted. Kept for the objects a chain is flattened at (and its
 * root) and for the last call only: others are derived again from the nearest kept one, at most
 * 16 levels of changes (plans read them in step order, so mostly one level from the last).
 */
export function sortedEntries(vars: Variables): string[] {
  if (last?.vars === vars) return last.sorted;
  // Walk back to an object whose entries are known (or that was not derived), then forward.
  const chain: Variables[] = [];
  let at = vars;
  let base = known(at);
  while (!base) {
    const d = derivations.get(at);
    if (!d) break;
    chain.push(at);
    at = d.from;
    base = known(at);
  }
  if (!base) {
    base = fullEntries(at);
    sortedByVariables.set(at, base);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const derived = chain[i];
    base = applyChanges(base, derivations.get(derived) as Derivation);
    // kept without the room splice left (~40% of the array)
    if (depths.get(derived) === 0) sortedByVariables.set(derived, (base = base.slice()));
  }
  last = { vars, sorted: base };
  return base;
}

function known(vars: Variables): string[] | undefined {
  return last?.vars === vars ? last.sorted : sortedByVariables.get(vars);
}

/** `,"KEY=VALUE"` of each entry joined (the env part of a cache key's rendering). */
export function serializedEntries(sorted: readonly string[]): string {
  if (lastSerialized?.sorted !== sorted) lastSerialized = { sorted, serialized: quotedOf(sorted).join('') };
  return lastSerialized.serialized;
}

function quotedOf(sorted: readonly string[]): string[] {
  if (lastQuoted?.sorted !== sorted) lastQuoted = { sorted: sorted as string[], quoted: sorted.map(quotedEntry) };
  return lastQuoted.quoted;
}

function fullEntries(vars: Variables): string[] {
  const sorted: string[] = [];
  for (const key in vars) sorted.push(`${key}=${vars[key]}`);
  return sorted.sort();
}

function quotedEntry(entry: string): string {
  return ',' + quote(entry);
}

/** The parent's entries with each changed variable's entry replaced (kept sorted). */
function applyChanges(parent: string[], d: Derivation): string[] {
  const sorted = parent.slice();
  // The quoted entries follow along when the parent's are at hand (planning reads in step order);
  // a reader of a plan's env entries needs none.
  const quoted = lastQuoted?.sorted === parent ? lastQuoted.quoted.slice() : undefined;
  let current: Map<string, string> | undefined; // values set by earlier changes of this derivation
  for (const [key, value] of d.changes) {
    const old = current?.has(key) ? current.get(key) : variableValue(d.from, key);
    (current ??= new Map()).set(key, value);
    if (old === value) continue;
    if (old !== undefined) {
      const gone = `${key}=${old}`;
      let at = lowerBound(sorted, gone);
      if (sorted[at] !== gone) at = sorted.indexOf(gone);
      if (at >= 0) {
        sorted.splice(at, 1);
        quoted?.splice(at, 1);
      }
    }
    const entry = `${key}=${value}`;
    const at = lowerBound(sorted, entry);
    sorted.splice(at, 0, entry);
    quoted?.splice(at, 0, quotedEntry(entry));
  }
  if (quoted) lastQuoted = { sorted, quoted };
  return sorted;
}

/** The first index whose entry is not less than `entry`. */
function lowerBound(sorted: readonly string[], entry: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < entry) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
