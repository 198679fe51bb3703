// The sorted `KEY=VALUE` entries of a stage's variables (what enters a RUN cache key), kept per
// variables object. A variables object made by `withVariables` remembers what it was made from,
// so its entries are the parent's with a few entries replaced: no re-sort of every variable at
// each ENV or ARG, which made planning quadratic in the variables a stage sets.
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
  /** The quoted entries joined, once asked for. */
  serialized?: string;
}

const derivations = new WeakMap<Variables, Derivation>();
const entriesByVariables = new WeakMap<Variables, Entries>();
const entriesBySorted = new WeakMap<readonly string[], Entries>();

/** A frozen copy of `vars` with `changes` applied in order, remembering how it was made. */
export function withVariables(vars: Variables, changes: readonly (readonly [string, string])[]): Variables {
  const next: Record<string, string> = { ...vars };
  for (const [key, value] of changes) next[key] = value;
  Object.freeze(next);
  derivations.set(next, { from: vars, changes });
  return next;
}

/** `KEY=VALUE` of every variable, sorted; the same array for the same variables object. */
export function sortedEntries(vars: Variables): string[] {
  return entriesOf(vars).sorted;
}

/** `,"KEY=VALUE"` of each entry joined (the env part of a cache key's rendering). */
export function serializedEntries(sorted: readonly string[]): string {
  let entries = entriesBySorted.get(sorted);
  if (!entries) {
    entries = { sorted: sorted as string[], quoted: sorted.map(quotedEntry) };
    entriesBySorted.set(sorted, entries);
  }
  if (entries.serialized === undefined) entries.serialized = entries.quoted.join('');
  return entries.serialized;
}

function entriesOf(vars: Variables): Entries {
  const known = entriesByVariables.get(vars);
  if (known) return known;
  // Walk back to an object whose entries are known (or that was not derived), then forward.
  const chain: Variables[] = [];
  let at = vars;
  let base = entriesByVariables.get(at);
  while (!base) {
    const d = derivations.get(at);
    if (!d) break;
    chain.push(at);
    at = d.from;
    base = entriesByVariables.get(at);
  }
  if (!base) base = remember(at, fullEntries(at));
  for (let i = chain.length - 1; i >= 0; i--) {
    const derived = chain[i];
    const d = derivations.get(derived) as Derivation;
    base = remember(derived, applyChanges(base, d));
  }
  return base;
}

function remember(vars: Variables, entries: Entries): Entries {
  entriesByVariables.set(vars, entries);
  entriesBySorted.set(entries.sorted, entries);
  return entries;
}

function fullEntries(vars: Variables): Entries {
  const sorted = Object.entries(vars).map(([k, v]) => `${k}=${v}`).sort();
  return { sorted, quoted: sorted.map(quotedEntry) };
}

function quotedEntry(entry: string): string {
  return ',' + quote(entry);
}

/** The parent's entries with each changed variable's entry replaced (kept sorted). */
function applyChanges(parent: Entries, d: Derivation): Entries {
  const sorted = parent.sorted.slice();
  const quoted = parent.quoted.slice();
  let current: Map<string, string> | undefined; // values set by earlier changes of this derivation
  for (const [key, value] of d.changes) {
    const old = current?.has(key) ? current.get(key) : Object.prototype.hasOwnProperty.call(d.from, key) ? d.from[key] : undefined;
    (current ??= new Map()).set(key, value);
    if (old === value) continue;
    if (old !== undefined) {
      const gone = `${key}=${old}`;
      let at = lowerBound(sorted, gone);
      if (sorted[at] !== gone) at = sorted.indexOf(gone);
      if (at >= 0) {
        sorted.splice(at, 1);
        quoted.splice(at, 1);
      }
    }
    const entry = `${key}=${value}`;
    const at = lowerBound(sorted, entry);
    sorted.splice(at, 0, entry);
    quoted.splice(at, 0, quotedEntry(entry));
  }
  return { sorted, quoted };
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
