import type { PlannedStep } from './types';

/** Says, one line per cause, why `current` would not reuse the cache of `previous`. Empty when the keys match. */
export function explainCacheMiss(previous: PlannedStep, current: PlannedStep): string[] {
  return previous.cacheKey === current.cacheKey ? [] : ['cache key changed'];
}
