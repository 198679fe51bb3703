// Why would a step miss the cache? Compare the inputs of the step as last built with the inputs
// it has now, field by field, in words a user can act on.
import type { CacheKeyInputs, PlannedStep } from './types';

/** One line per cause; empty when the keys match. */
export function explainCacheMiss(previous: PlannedStep, current: PlannedStep): string[] {
  if (previous.cacheKey === current.cacheKey) return [];
  const a = previous.cacheKeyInputs;
  const b = current.cacheKeyInputs;
  const out: string[] = [];
  if (a.op !== b.op) out.push(`the instruction changed from ${a.op} to ${b.op}`);
  else if (a.command !== b.command) out.push(`the command changed: ${a.command} -> ${b.command}`);
  if (a.base?.ref !== b.base?.ref) out.push(`the base image changed: ${a.base?.ref ?? '(none)'} -> ${b.base?.ref ?? '(none)'}`);
  else if (a.base?.digest !== b.base?.digest) out.push(`the base image ${b.base?.ref} now resolves to ${b.base?.digest} (was ${a.base?.digest})`);
  out.push(...diffEnv(a.env, b.env));
  if (a.workdir !== b.workdir) out.push(`the working directory changed: ${a.workdir} -> ${b.workdir}`);
  if (a.user !== b.user) out.push(`the user changed: ${a.user || '(default)'} -> ${b.user || '(default)'}`);
  if (a.platform !== b.platform) out.push(`the platform changed: ${a.platform} -> ${b.platform}`);
  out.push(...diffSources(a, b), ...diffOptions(a.options ?? {}, b.options ?? {}));
  if (a.parent !== b.parent && out.length === 0) out.push('an earlier step of this stage changed, so the layer it builds on changed');
  else if (a.parent !== b.parent) out.push('the layer below changed too');
  if (out.length === 0) out.push('the cache key changed');
  return out;
}

function toMap(entries: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of entries) {
    const eq = e.indexOf('=');
    map.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return map;
}

function diffEnv(before: string[], after: string[]): string[] {
  const a = toMap(before);
  const b = toMap(after);
  const out: string[] = [];
  for (const [k, v] of b) {
    if (!a.has(k)) out.push(`variable ${k} is now set (${v})`);
    else if (a.get(k) !== v) out.push(`variable ${k} changed: ${a.get(k)} -> ${v}`);
  }
  for (const k of a.keys()) if (!b.has(k)) out.push(`variable ${k} is no longer set`);
  return out;
}

function diffSources(a: CacheKeyInputs, b: CacheKeyInputs): string[] {
  const before = new Map((a.sources ?? []).map((s) => [s.path, s.checksum]));
  const after = new Map((b.sources ?? []).map((s) => [s.path, s.checksum]));
  const out: string[] = [];
  for (const [path, sum] of after) {
    if (!before.has(path)) out.push(`new source ${path}`);
    else if (sum === 'unknown') out.push(`the content of ${path} is unknown (no build context to checksum), so it cannot be shown unchanged`);
    else if (before.get(path) !== sum) out.push(`the content of ${path} changed`);
  }
  for (const path of before.keys()) if (!after.has(path)) out.push(`source ${path} was removed`);
  return out;
}

function diffOptions(a: Record<string, string>, b: Record<string, string>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[k] === b[k]) continue;
    if (k === 'from') out.push('the stage or image it copies from changed');
    else if (k.startsWith('mount')) out.push(`a --mount changed`);
    else out.push(`${k} changed: ${a[k] ?? '(unset)'} -> ${b[k] ?? '(unset)'}`);
  }
  return out;
}
