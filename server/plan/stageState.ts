// What one step hands to the next inside a stage: the filesystem key and the variables,
// working directory, user and shell. Immutable; a step that changes nothing passes the same
// object on, which is what lets re-planning reuse unchanged steps by identity.
import { sameKey } from './stepKeys';
import type { KeyRef } from './stepKeys';

export interface StageState {
  /** Cache key of the filesystem so far (worked out when read). */
  readonly fs: KeyRef;
  /** Image config ENV. */
  readonly env: Readonly<Record<string, string>>;
  /** BuildKit's state environment: ENV plus ARG values; what expansion and RUN see. */
  readonly vars: Readonly<Record<string, string>>;
  /** Build args declared in the stage (undefined = declared without a value). */
  readonly args: Readonly<Record<string, string | undefined>>;
  readonly workdir: string;
  /** A WORKDIR instruction has run in this Dockerfile (for WorkdirRelativePath). */
  readonly workdirSet: boolean;
  readonly user: string;
  readonly shell: readonly string[];
  readonly platform: string;
}

export const defaultShell: readonly string[] = Object.freeze(['/bin/sh', '-c']);
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function withChanges(state: StageState, changes: Partial<StageState>): StageState {
  // Field by field rather than by spreading: one object shape for every state, and no spread cost.
  return Object.freeze({
    fs: changes.fs ?? state.fs,
    env: changes.env ?? state.env,
    vars: changes.vars ?? state.vars,
    args: changes.args ?? state.args,
    workdir: changes.workdir ?? state.workdir,
    workdirSet: changes.workdirSet ?? state.workdirSet,
    user: changes.user ?? state.user,
    shell: changes.shell ?? state.shell,
    platform: changes.platform ?? state.platform,
  });
}

function sameRecord(a: Readonly<Record<string, string | undefined>>, b: Readonly<Record<string, string | undefined>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** Value equality of two states' variables, directory, user, shell and platform (not their filesystem keys). */
export function sameSettings(a: StageState, b: StageState): boolean {
  return (
    a.workdir === b.workdir && a.workdirSet === b.workdirSet && a.user === b.user && a.platform === b.platform &&
    a.shell.length === b.shell.length && a.shell.every((s, i) => s === b.shell[i]) &&
    sameRecord(a.env, b.env) && sameVariables(a.vars, b.vars) && sameRecord(a.args, b.args)
  );
}

/** Equality of two variables objects, inherited variables included (`withVariables` chains them). */
function sameVariables(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  let count = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    count++;
  }
  for (const k in b) if (typeof b[k] === 'string') count--;
  return count === 0;
}

/** Equality of two states: their settings' values, and their filesystem keys as far as known (see sameKey). */
export function sameState(a: StageState, b: StageState): boolean {
  return a === b || (sameKey(a.fs, b.fs) && sameSettings(a, b));
}

/**
 * Whether two states hold the very same variables, directory, user, shell and platform; only their
 * filesystem keys may differ. Cheap: re-planning hands these objects on unchanged.
 */
export function sharesSettings(a: StageState, b: StageState): boolean {
  return a.vars === b.vars && a.env === b.env && a.args === b.args && sharesSurroundings(a, b);
}

/** `sharesSettings` but for the variables: the same shell object, directory, user and platform. */
export function sharesSurroundings(a: StageState, b: StageState): boolean {
  return a.shell === b.shell && a.workdir === b.workdir && a.workdirSet === b.workdirSet && a.user === b.user && a.platform === b.platform;
}
