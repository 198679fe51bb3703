// The fields of `RUN --mount=type=<type>,...`, per mount type, as BuildKit's frontend accepts them.

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';

export interface MountOptionDoc {
  key: string;
  /** Other spellings BuildKit accepts (`dst`, `destination` for `target`). */
  aliases?: readonly string[];
  summary: string;
  values?: readonly string[];
  /** A field written without `=value` (`readonly`). */
  bare?: boolean;
}

export const mountTypeDocs: Readonly<Record<MountType, string>> = {
  bind: 'Read-only bind mount (default type) of the build context, a stage or an image; `rw` allows writes that are discarded.',
  cache: 'Persistent cache directory shared between builds (package manager caches, compiler caches); never part of the layer.',
  tmpfs: 'An empty in-memory filesystem for the command.',
  secret: 'A build secret as a file (default `/run/secrets/<id>`) or an environment variable; never stored in the image.',
  ssh: 'The SSH agent socket (`--ssh` of the build), for cloning private repositories.',
};

const target: MountOptionDoc = { key: 'target', aliases: ['dst', 'destination'], summary: 'Where the mount appears in the container.' };
const id = (what: string): MountOptionDoc => ({ key: 'id', summary: what });
const mode: MountOptionDoc = { key: 'mode', summary: 'File mode of the mounted file or directory (octal).', values: ['0755', '0600', '0400'] };
const uid: MountOptionDoc = { key: 'uid', summary: 'Owner user id.', values: ['0', '1000'] };
const gid: MountOptionDoc = { key: 'gid', summary: 'Owner group id.', values: ['0', '1000'] };
const required: MountOptionDoc = { key: 'required', summary: 'Fail the build when the secret or SSH socket is not provided.', values: ['true', 'false'] };
const from: MountOptionDoc = { key: 'from', summary: 'Stage, image or build context to mount from (default: the build context).' };
const source: MountOptionDoc = { key: 'source', aliases: ['src'], summary: 'Path inside `from` (default: its root).' };
const readonly: MountOptionDoc = { key: 'readonly', aliases: ['ro'], summary: 'Mount read-only.', bare: true };

export const mountOptionDocs: Readonly<Record<MountType, readonly MountOptionDoc[]>> = {
  bind: [target, source, from, { key: 'rw', aliases: ['readwrite'], summary: 'Allow writes (they are discarded after the command).', bare: true }],
  cache: [
    target, id('Cache id (default: the target path); mounts with the same id share the directory.'),
    readonly, { key: 'sharing', summary: 'How concurrent builds share the cache: `shared` (default), `private` (a new one when in use) or `locked` (wait).', values: ['shared', 'private', 'locked'] },
    from, source, mode, uid, gid,
  ],
  tmpfs: [target, { key: 'size', summary: 'Size limit of the tmpfs in bytes.', values: ['64m', '1g'] }],
  secret: [
    id('Secret id, as given to `--secret id=...` of the build (default: the base name of target).'),
    target, { key: 'env', summary: 'Expose the secret as this environment variable instead of (or besides) a file.' },
    required, mode, uid, gid,
  ],
  ssh: [id('SSH agent socket or key id (default `default`).'), target, required, mode, uid, gid],
};

export const mountTypes = Object.keys(mountTypeDocs) as MountType[];

export function isMountType(value: string | undefined): value is MountType {
  return value !== undefined && Object.prototype.hasOwnProperty.call(mountTypeDocs, value);
}

/** The documentation of field `key` (or one of its aliases) for mounts of `type`. */
export function findMountOption(type: MountType, key: string): MountOptionDoc | undefined {
  const lower = key.toLowerCase();
  return mountOptionDocs[type].find((o) => o.key === lower || o.aliases?.includes(lower));
}
