// `layerlens ps [-a] [-q] [-s] [--json]`: running containers (all with -a), with status, exit code and
// uptime; with -s the size of each one's writable layer and, as Docker's "virtual" size, that plus its
// image. Leftover --rm containers (their remover was killed) are removed on the way.
import type { Command } from './command';
import { containerEntry, formatTable, type ContainerEntry } from '../run/describeContainer';
import { openContainers } from '../run/openContainers';
import { parseFlags } from '../run/parseFlags';
import { reapRemovedOnExit } from '../run/reapRemovedOnExit';
import { measureWritableLayer } from '../run/writableLayerSize';
import { formatBytes } from '../store/storeCli';
import { CliError } from './cliError';

export const psCommand: Command = {
  summary: 'list containers (-a: also stopped ones, -q: ids only, -s: sizes, --json)',
  async run(args) {
    const { flags, positionals } = parseFlags(args, { all: { short: 'a' }, quiet: { short: 'q' }, size: { short: 's' }, json: {} });
    if (positionals.length) throw new CliError(`ps takes no arguments (got ${positionals.join(' ')})`, 2);
    const { images, containers } = await openContainers();
    const now = Date.now();
    const listed = (await reapRemovedOnExit(containers, containers.list())).filter((c) => flags.all || c.state === 'running');
    const entries: ContainerEntry[] = listed.map((c) => containerEntry(c, now));
    if (flags.size) {
      const imageSizes = new Map<string, Promise<number | undefined>>();
      const imageSize = (digest: string) => {
        if (!imageSizes.has(digest)) imageSizes.set(digest, images.loadImage(digest).then((i) => i.size, () => undefined));
        return imageSizes.get(digest) as Promise<number | undefined>;
      };
      await Promise.all(listed.map(async (c, i) => {
        const rw = await measureWritableLayer(containers.paths(c.id).upper);
        const image = c.image ? await imageSize(c.image) : undefined;
        entries[i] = { ...entries[i], sizeRw: rw.bytes, sizeRootFs: image === undefined ? undefined : rw.bytes + image };
        if (rw.unreadable > 0) entries[i].sizeRwUnreadableDirs = rw.unreadable;
      }));
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    } else if (flags.quiet) {
      process.stdout.write(entries.map((e) => `${e.id.slice(0, 12)}\n`).join(''));
    } else {
      const quote = (s: string) => JSON.stringify(s.length > 30 ? `${s.slice(0, 29)}…` : s);
      const sized = (e: ContainerEntry) => (flags.size ? [sizeText(e)] : []);
      process.stdout.write(formatTable([
        ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'NAMES', ...(flags.size ? ['SIZE'] : [])],
        ...entries.map((e) => [e.id.slice(0, 12), e.image, quote(e.command), e.created.replace('T', ' ').slice(0, 19), e.status, e.name, ...sized(e)]),
      ]));
    }
    return 0;
  },
};

/** Docker's SIZE column: `2.1kB (virtual 5.4MB)`; "≥" when some directories could not be read. */
function sizeText(e: ContainerEntry): string {
  const atLeast = e.sizeRwUnreadableDirs ? '≥ ' : '';
  const rw = `${atLeast}${formatBytes(e.sizeRw ?? 0)}`;
  return e.sizeRootFs === undefined ? rw : `${rw} (virtual ${atLeast}${formatBytes(e.sizeRootFs)})`;
}
