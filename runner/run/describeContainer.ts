// How `ps` shows a container: Docker's columns, and the --json entry the VS Code views read.
import type { ContainerRecord } from './containerRecord';

export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  if (s < 1) return 'less than a second';
  for (const [size, name] of units) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${s} seconds`;
}

export function statusText(c: ContainerRecord, now = Date.now()): string {
  if (c.state === 'running') return `Up ${humanDuration(now - Date.parse(c.startedAt ?? c.created))}`;
  if (c.state === 'created') return 'Created';
  const code = c.exitCode === null || c.exitCode === undefined ? '?' : String(c.exitCode);
  const ago = c.finishedAt ? ` ${humanDuration(now - Date.parse(c.finishedAt))} ago` : '';
  return `Exited (${code})${ago}`;
}

export interface ContainerEntry {
  id: string;
  name: string;
  image: string;
  imageDigest: string;
  command: string;
  created: string;
  state: string;
  status: string;
  exitCode: number | null;
  signal?: number;
  pid?: number;
  startedAt?: string;
  finishedAt?: string;
  /** With `ps --size`: bytes in the container's writable layer. */
  sizeRw?: number;
  /** With `ps --size`: the writable layer plus the image (Docker's "virtual" size); absent for --rootfs containers. */
  sizeRootFs?: number;
  /** With `ps --size`: directories of the writable layer that could not be read (sizes are then at least). */
  sizeRwUnreadableDirs?: number;
}

export function containerEntry(c: ContainerRecord, now = Date.now()): ContainerEntry {
  return {
    id: c.id,
    name: c.name,
    image: c.imageRef || c.config.rootfsDir || '',
    imageDigest: c.image,
    command: c.config.process.args.join(' '),
    created: c.created,
    state: c.state,
    status: statusText(c, now),
    exitCode: c.state === 'exited' ? (c.exitCode ?? null) : null,
    signal: c.signal,
    pid: c.state === 'running' ? c.pid : undefined,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
  };
}

/** Columns padded to their widest cell. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}
