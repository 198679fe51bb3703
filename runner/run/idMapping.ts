// How the container's user namespace maps ids. Root maps the full range directly. A user with a
// subordinate range in /etc/subuid and /etc/subgid gets it (container 0 = the user, 1..N = the
// range) through the setuid newuidmap/newgidmap; otherwise only the user's own id is mapped.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface IdRange {
  start: number;
  count: number;
}

export type IdMapping =
  | { mode: 'root'; hostUid: 0; hostGid: number }
  | { mode: 'subid'; hostUid: number; hostGid: number; subuid: IdRange; subgid: IdRange }
  | { mode: 'single'; hostUid: number; hostGid: number; warning: string };

/** The first range for `user` (by name or uid) in an /etc/subuid-format file. */
export function findSubordinateRange(content: string, names: string[]): IdRange | undefined {
  for (const line of content.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (!owner || !names.includes(owner) || !/^\d+$/.test(start ?? '') || !/^\d+$/.test(count ?? '')) continue;
    if (Number(count) > 0) return { start: Number(start), count: Number(count) };
  }
  return undefined;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function onPath(tool: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => {
    try {
      fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function decideIdMapping(env: NodeJS.ProcessEnv = process.env): IdMapping {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  if (uid === 0) return { mode: 'root', hostUid: 0, hostGid: gid };
  let name = String(uid);
  try {
    name = os.userInfo().username;
  } catch {
    // no passwd entry: only the numeric form can match
  }
  const subuid = findSubordinateRange(readOrEmpty('/etc/subuid'), [name, String(uid)]);
  const subgid = findSubordinateRange(readOrEmpty('/etc/subgid'), [name, String(uid)]);
  const effects = 'steps that change file owners or switch to another user may fail';
  if (!subuid || !subgid) {
    return {
      mode: 'single', hostUid: uid, hostGid: gid,
      warning: `no subordinate id range for ${name} in /etc/subuid and /etc/subgid: only uid ${uid} is mapped (as root) and ${effects}; ` +
        `add one with \`sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${name}\``,
    };
  }
  if (!onPath('newuidmap', env) || !onPath('newgidmap', env)) {
    return {
      mode: 'single', hostUid: uid, hostGid: gid,
      warning: `newuidmap/newgidmap are not installed, so the subordinate ids of ${name} cannot be used: ${effects}; install the uidmap package`,
    };
  }
  return { mode: 'subid', hostUid: uid, hostGid: gid, subuid, subgid };
}
