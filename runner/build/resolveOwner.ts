// `--chown=user[:group]` and WORKDIR's user: names are looked up in the image's /etc/passwd and
// /etc/group, numbers are taken as they are; a user without a group gets its primary group (or,
// for a number, the same number), as BuildKit does.
import { BuildError } from './buildError';
import type { LayerUnion } from './layerUnion';

export interface Owner {
  uid: number;
  gid: number;
}

function lookupDatabase(union: LayerUnion, file: string, name: string): string[] | undefined {
  const text = union.readFile(file)?.toString('utf8') ?? '';
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name) return fields;
  }
  return undefined;
}

export function resolveOwner(spec: string, union: LayerUnion): Owner {
  const [user, group] = spec.split(':', 2);
  let uid: number;
  let primary: number | undefined;
  if (/^[0-9]+$/.test(user)) {
    uid = Number(user);
    primary = uid;
  } else {
    const entry = lookupDatabase(union, '/etc/passwd', user);
    if (!entry || !/^[0-9]+$/.test(entry[2] ?? '')) throw new BuildError(`unable to find user ${user}: no matching entries in passwd file`);
    uid = Number(entry[2]);
    primary = /^[0-9]+$/.test(entry[3] ?? '') ? Number(entry[3]) : undefined;
  }
  if (group === undefined || group === '') {
    return { uid, gid: primary ?? uid };
  }
  if (/^[0-9]+$/.test(group)) return { uid, gid: Number(group) };
  const entry = lookupDatabase(union, '/etc/group', group);
  if (!entry || !/^[0-9]+$/.test(entry[2] ?? '')) throw new BuildError(`unable to find group ${group}: no matching entries in group file`);
  return { uid, gid: Number(entry[2]) };
}
