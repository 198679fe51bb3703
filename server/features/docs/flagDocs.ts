// The flags each instruction accepts (BuildKit's Dockerfile frontend, labs flags marked), with
// documentation for hover and the values completion offers.

export interface FlagDoc {
  /** Name without `--`. */
  name: string;
  /** Value placeholder for the signature line, e.g. `<platform>`; undefined for a boolean flag. */
  value?: string;
  summary: string;
  /** Values completion offers after `--name=`. */
  values?: readonly string[];
  /** BuildKit accepts the flag several times on one instruction. */
  repeatable?: boolean;
  /** Needs `# syntax=docker/dockerfile:1-labs`. */
  labs?: boolean;
  /** Dockerfile frontend version that introduced it. */
  since?: string;
}

const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64', '$BUILDPLATFORM', '$TARGETPLATFORM'];

const chown: FlagDoc = { name: 'chown', value: '<user>[:<group>]', summary: 'Owner (name or id) of the copied files in the image; names are looked up in the image\'s `/etc/passwd` and `/etc/group`.' };
const chmod: FlagDoc = { name: 'chmod', value: '<perms>', summary: 'Mode of the copied files: octal (`755`) or symbolic (`u+x,go=r`, frontend 1.14+).', values: ['644', '755', '0600', 'u+x'] };
const link: FlagDoc = { name: 'link', summary: 'Copies into an independent layer that does not depend on the files below it, so the layer is reused even when earlier layers change (`--link=false` to disable).', values: ['true', 'false'], since: '1.4' };
const exclude: FlagDoc = { name: 'exclude', value: '<pattern>', summary: 'Leaves out paths matching the pattern (`.dockerignore` syntax). Repeatable.', repeatable: true, since: '1.19' };

export const flagDocs: Readonly<Record<string, readonly FlagDoc[]>> = {
  FROM: [
    { name: 'platform', value: '<platform>', summary: 'Platform of the base image (`os/arch[/variant]`), e.g. `$BUILDPLATFORM` for a stage that cross-compiles.', values: PLATFORMS },
  ],
  RUN: [
    { name: 'mount', value: 'type=<bind|cache|tmpfs|secret|ssh>[,<option>=<value>...]', summary: 'Mounts a filesystem for this command only: a bind mount from the context or a stage, a persistent cache directory, a tmpfs, a secret or the SSH agent socket. Nothing under the mount ends up in the layer.', repeatable: true, since: '1.2' },
    { name: 'network', value: '<default|none|host>', summary: 'Network of the command: `default` (the build\'s network), `none` (no network at all) or `host` (needs the `network.host` entitlement).', values: ['default', 'none', 'host'], since: '1.3' },
    { name: 'security', value: '<sandbox|insecure>', summary: '`insecure` runs the command without the sandbox (all capabilities, like `--privileged`); needs the `security.insecure` entitlement.', values: ['sandbox', 'insecure'], since: '1.20' },
    { name: 'device', value: '<name>[,required]', summary: 'Exposes a CDI device to the command.', labs: true },
  ],
  COPY: [
    { name: 'from', value: '<stage|image|context>', summary: 'Copies from an earlier build stage, an image or a named build context instead of the main context.' },
    chown, chmod, link,
    { name: 'parents', summary: 'Keeps the parent directories of each source under the destination (`/a/b/c` -> `<dest>/a/b/c`; a `/./` in the source marks where the kept path starts).', values: ['true', 'false'], since: '1.20' },
    exclude,
  ],
  ADD: [
    chown, chmod, link,
    { name: 'checksum', value: 'sha256:<hex>', summary: 'Verifies the checksum of a remote source (URL, or git commit for a git source).', values: ['sha256:'], since: '1.6' },
    { name: 'keep-git-dir', summary: 'Keeps the `.git` directory when adding a git repository.', values: ['true', 'false'], since: '1.1' },
    { name: 'unpack', summary: 'Whether to extract a tar archive source (default: local archives yes, URLs no).', values: ['true', 'false'], since: '1.17' },
    exclude,
  ],
  HEALTHCHECK: [
    { name: 'interval', value: '<duration>', summary: 'Time between checks (default `30s`).', values: ['30s', '1m', '5m'] },
    { name: 'timeout', value: '<duration>', summary: 'A check taking longer counts as failed (default `30s`).', values: ['5s', '10s', '30s'] },
    { name: 'start-period', value: '<duration>', summary: 'Grace period after start during which failures do not count (default `0s`).', values: ['0s', '10s', '1m'] },
    { name: 'start-interval', value: '<duration>', summary: 'Time between checks during the start period (default `5s`).', values: ['1s', '5s'], since: '1.6' },
    { name: 'retries', value: '<n>', summary: 'Consecutive failures needed to report the container unhealthy (default `3`).', values: ['3', '5'] },
  ],
};

/** The flag `name` of `instruction`, if BuildKit knows it. */
export function findFlagDoc(instruction: string, name: string): FlagDoc | undefined {
  return flagDocs[instruction]?.find((f) => f.name === name);
}

/** `--mount=type=...` on one line, for hover and completion labels. */
export function flagSignature(flag: FlagDoc): string {
  return flag.value ? `--${flag.name}=${flag.value}` : `--${flag.name}`;
}
