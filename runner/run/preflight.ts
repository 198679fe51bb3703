// Checks before the first container: each failure says what is wrong and how to fix it, instead of
// an errno from deep inside the helper.
import * as fs from 'fs';
import * as os from 'os';
import { ContainerError } from './containerError';
import { helperBinary } from './helperBinary';

export interface PreflightResult {
  errors: string[];
  warnings: string[];
}

function readSysctl(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** 6.8.0-31-generic -> [6, 8] */
export function kernelVersion(release: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

export function runPreflight(read: (file: string) => string | undefined = readSysctl, release = os.release(), uid = process.getuid?.() ?? 0): PreflightResult {
  const result: PreflightResult = { errors: [], warnings: [] };
  if (process.platform !== 'linux') {
    result.errors.push(`containers need Linux (this is ${process.platform})`);
    return result;
  }
  const [major, minor] = kernelVersion(release);
  if (major < 5 || (major === 5 && minor < 12)) {
    result.errors.push(`Linux ${release} is too old: containers need 5.12 or later (overlayfs inside user namespaces arrived in 5.11, mount_setattr in 5.12)`);
  }
  if (read('/proc/sys/user/max_user_namespaces') === '0') {
    result.errors.push('user namespaces are disabled (user.max_user_namespaces = 0): enable them with `sudo sysctl -w user.max_user_namespaces=15000`');
  }
  if (uid !== 0) {
    if (read('/proc/sys/kernel/unprivileged_userns_clone') === '0') {
      result.errors.push('unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0): enable them with `sudo sysctl -w kernel.unprivileged_userns_clone=1`');
    }
    if (read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1') {
      result.errors.push('AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1): ' +
        'allow the helper with an AppArmor profile containing `userns,` for its path, or `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`');
    }
  }
  return result;
}

let checked = false;

/** Throws the first error (all of them, one per line); warnings are returned for the caller to show. */
export function assertCanRunContainers(): string[] {
  helperBinary();
  if (checked) return [];
  const { errors, warnings } = runPreflight();
  if (errors.length) throw new ContainerError(errors.join('\n'));
  checked = true;
  return warnings;
}
