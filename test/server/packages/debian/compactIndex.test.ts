// The compact index (fields decoded on their own, relations parsed on first use, strings
// interned, read from streamed chunks) answers what the index that parsed every field up front
// answered: the expected file was written by that index (commit 9e4ffb0) for the same installs.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import { DebianIndex } from '../../../../server/packages/debian/debianIndex';
import { aptListsFetcher } from '../../../../server/packages/debian/indexFetchers';
import { parseParagraphs } from '../../../../server/packages/debian/parseControl';
import { parseRelations } from '../../../../server/packages/debian/relations';
import { resolveAptInstall } from '../../../../server/packages/debian/resolveAptInstall';
import { compareDebianVersions } from '../../../../server/packages/debian/debianVersion';
import expected from './compactIndex.expected.json';
import { SYNTHETIC_INSTALLS, syntheticPackagesFile } from './syntheticIndex';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** What the index answers for the synthetic installs, in the form of the expected file. */
function answers(index: DebianIndex): typeof expected {
  const minimal = [...index.minimalBaseSet()].sort();
  const installs: (typeof expected)['installs'] = [];
  for (const install of SYNTHETIC_INSTALLS) {
    for (const recommends of [false, true]) {
      for (const base of ['none', 'minimal']) {
        const r = resolveAptInstall(index, { names: new Set(base === 'minimal' ? minimal : []), provided: new Set() }, install, { recommends });
        installs.push({
          install: install.join(' '),
          recommends,
          base,
          count: r.packages.length,
          installedBytes: r.packages.reduce((s, p) => s + p.installedBytes, 0),
          debBytes: r.packages.reduce((s, p) => s + p.debBytes, 0),
          relations: r.packages.reduce((s, p) => s + p.depends.length + p.preDepends.length + p.recommends.length + p.provides.length, 0),
          packages: sha(r.packages.map((p) => `${p.name}=${p.version}`).join(' ')),
          missing: r.missing,
          alreadyInstalled: r.alreadyInstalled,
        });
      }
    }
  }
  return { size: index.size, minimal: sha(minimal.join(' ')), minimalCount: minimal.length, installs };
}

/** Every package of a Packages text parsed eagerly, newest version per name (the old index's reading). */
function eagerPackages(text: string, architecture: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const f of parseParagraphs(text, ['Package', 'Version', 'Architecture', 'Installed-Size', 'Size', 'Depends', 'Pre-Depends', 'Recommends', 'Provides', 'Priority', 'Essential'])) {
    const arch = f.Architecture ?? 'all';
    if (!f.Package || (arch !== 'all' && arch !== architecture)) continue;
    const name = f.Package.toLowerCase();
    const existing = out.get(name);
    if (existing && compareDebianVersions(existing.version as string, f.Version ?? '') >= 0) continue;
    out.set(name, {
      name,
      version: f.Version ?? '',
      architecture: arch,
      installedBytes: (Number(f['Installed-Size']) || 0) * 1024,
      debBytes: Number(f.Size) || 0,
      depends: parseRelations(f.Depends),
      preDepends: parseRelations(f['Pre-Depends']),
      recommends: parseRelations(f.Recommends),
      provides: parseRelations(f.Provides).map((g) => g[0].name),
      priority: f.Priority,
      essential: f.Essential === 'yes',
    });
  }
  return out;
}

function fieldsOf(index: DebianIndex, name: string): Record<string, unknown> | undefined {
  const p = index.candidate(name);
  if (!p) return undefined;
  const { version, architecture, installedBytes, debBytes, depends, preDepends, recommends, provides, priority, essential } = p;
  return { name: p.name, version, architecture, installedBytes, debBytes, depends, preDepends, recommends, provides, priority, essential };
}

describe('compact Debian index (same answers as parsing every field up front)', () => {
  const text = syntheticPackagesFile(3000);

  it('resolves the same package sets, versions and sizes as the eager index did', () => {
    const index = new DebianIndex();
    index.add(text, 'amd64');
    assert.deepStrictEqual(answers(index), expected);
    assert.ok(expected.installs.some((i) => i.count > 300), 'some installs pull in hundreds of packages');
  });

  it('answers the same with its records moved to disk, before and after more files are added', () => {
    const index = new DebianIndex();
    index.add(text, 'amd64');
    assert.ok(index.keepRecordsOnDisk());
    assert.deepStrictEqual(answers(index), expected);
    index.add(text, 'amd64');
    index.add(syntheticPackagesFile(50, 11), 'amd64');
    assert.ok(index.keepRecordsOnDisk());
    const fresh = new DebianIndex();
    fresh.add(text, 'amd64');
    fresh.add(syntheticPackagesFile(50, 11), 'amd64');
    assert.deepStrictEqual(answers(index), answers(fresh));
  });

  it('answers the same with its records written to disk as they are read', async () => {
    const index = new DebianIndex({ recordsOnDisk: true });
    const feeder = index.feeder('amd64', 1);
    const bytes = Buffer.from(text, 'utf8');
    for (let pos = 0; pos < bytes.length; pos += 65536) await feeder.push(bytes.subarray(pos, pos + 65536));
    feeder.end();
    assert.ok(index.keepRecordsOnDisk());
    assert.deepStrictEqual(answers(index), expected);
  });

  it('answers the same when the text arrives in chunks split anywhere (inside lines, inside CRLF)', async () => {
    const bytes = Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    const index = new DebianIndex();
    const feeder = index.feeder('amd64', 1);
    for (let pos = 0, step = 1; pos < bytes.length; pos += step, step = (step * 7 + 3) % 5003) await feeder.push(bytes.subarray(pos, pos + step));
    feeder.end();
    assert.strictEqual(index.indexBytes, bytes.length);
    assert.deepStrictEqual(answers(index), expected);
  });

  it('keeps every field the size model reads of each bookworm package, as the eager reading gives it', async function () {
    this.timeout(120000);
    const lists = '/var/lib/apt/lists';
    if (!fs.existsSync(lists) || !fs.readdirSync(lists).some((n) => n.startsWith('deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages'))) this.skip();
    const fetch = aptListsFetcher(lists);
    const url = 'http://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages';
    const index = new DebianIndex();
    const feeder = index.feeder('amd64');
    await fetch.stream?.(url, (chunk) => feeder.push(chunk));
    feeder.end();
    const eager = eagerPackages(await fetch(url), 'amd64');
    assert.ok(eager.size > 50_000, `${eager.size} packages`);
    assert.strictEqual(index.size, eager.size);
    const differing = [...eager].filter(([name, fields]) => JSON.stringify(fieldsOf(index, name)) !== JSON.stringify(fields)).map(([name]) => name);
    assert.deepStrictEqual(differing.slice(0, 10), []);
  });
});
