// The cache key inputs a RUN step keeps: its `env` entries (every variable of the stage as a sorted
// `KEY=VALUE` array, ~100 entries each on bench/lsp's file, ~4 MB over a plan) are remembered as
// the variables they come from and sorted again when read. Readers see a plain own, enumerable
// `env` in the usual place (Object.keys, JSON.stringify and for-in give the same as before).
import type { CacheKeyInputs } from './types';
import { sortedEntries } from './variableEntries';

type Variables = Readonly<Record<string, string>>;

const variablesOf = Symbol('variables');

interface RunKeyInputs extends CacheKeyInputs {
  [variablesOf]: Variables;
}

const envAccessor: PropertyDescriptor = {
  get(this: RunKeyInputs): string[] {
    return sortedEntries(this[variablesOf]);
  },
  set(this: RunKeyInputs, value: string[]): void {
    // A writer gets an ordinary property in the same place.
    Object.defineProperty(this, 'env', { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** `inputs` (whose `env` is `sortedEntries(vars)`) with `env` derived from `vars` when read. */
export function runKeyInputs(inputs: CacheKeyInputs, vars: Variables): CacheKeyInputs {
  // Fields in the order of `inputs`, so every such object shares one hidden class.
  const out = { parent: inputs.parent, op: inputs.op, command: inputs.command } as RunKeyInputs;
  Object.defineProperty(out, 'env', envAccessor);
  out.workdir = inputs.workdir;
  out.user = inputs.user;
  out.platform = inputs.platform;
  out.sources = inputs.sources;
  out.options = inputs.options;
  out.base = inputs.base;
  Object.defineProperty(out, variablesOf, { value: vars });
  return out;
}
