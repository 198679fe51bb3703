// Glue shared by the image commands (pull, push, images, rmi, tag, import, fsck, prune): option
// parsing, opening the store, turning library errors into one-line CLI errors, human formats.
import { parseArgs, ParseArgsConfig } from 'util';
import { CliError } from '../commands/cliError';
import { ImageJsonError } from './imageJson';
import { ImageReferenceError } from './imageReference';
import { ImageStore, StoreError } from './imageStore';

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with usage errors as exit code 2. */
export function parseCommandArgs<T extends Options>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nusage: ${usage}`, 2);
  }
}

export function openStore(): Promise<ImageStore> {
  return ImageStore.open();
}

/** Known, user-caused failures become a one-line message; anything else stays a crash with a stack. */
export function asCliError(err: unknown): unknown {
  if (err instanceof CliError) return err;
  const name = (err as Error)?.constructor?.name ?? '';
  if (
    err instanceof StoreError || err instanceof ImageReferenceError || err instanceof ImageJsonError
    || /^(RegistryError|HttpError|CredentialsError|PlatformError|LayerApplyError|DigestError|ChangeError|PathEscapeError)$/.test(name)
  ) {
    return new CliError((err as Error).message, 1);
  }
  return err;
}

export async function runCliAction(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (err) {
    throw asCliError(err);
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)}${units[i]}`;
}

export function formatAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'N/A';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return 'N/A';
  const steps: [number, string][] = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [Infinity, 'year']];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (value < size) return `${Math.floor(value)} ${unit}${Math.floor(value) === 1 ? '' : 's'} ago`;
    value /= size;
  }
  return 'long ago';
}

/** Left-aligned columns, like docker's tables. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join('').trimEnd()).join('\n') + '\n';
}
