// npm suite: `npm install -g <packages>` predicted from the npm registry's metadata, measured by
// a real `npm install -g --prefix <root>/usr/local` (scripts off, cache outside the layer) and
// packing <root> as a layer. Peer: the installed files' content bytes alone (what summing the
// registry's `unpackedSize` gives), without tar headers, padding and directories.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NpmPackageSizes } from '../../server/packages/npm/npmPackageSizes';
import { packLayer } from './packLayer';
import type { Sample } from './stats';

const SETS: string[][] = [
  ['left-pad@1.3.0'],
  ['debug@4.3.4'],
  ['express@4.19.2'],
  ['typescript@5.4.5'],
  ['lodash@4.17.21', 'chalk@4.1.2'],
  ['semver@7.6.0', 'commander@12.0.0', 'yargs@17.7.2'],
];

export async function runNpmSuite(work: string, log: (line: string) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  const sizes = new NpmPackageSizes();
  for (const specs of SETS) {
    const name = `npm install -g ${specs.join(' ')}`;
    const request = { manager: 'npm' as const, baseImage: 'node:20', platform: 'linux/amd64', packages: specs, installedBefore: [], env: {}, command: name };
    let answer = sizes.estimateInstall(request);
    for (let i = 0; i < 5 && answer.state === 'pending'; i++) {
      await sizes.settled();
      answer = sizes.estimateInstall(request);
    }
    const root = path.join(work, 'npm', specs.join('+').replace(/[^\w.+-]/g, '_'));
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'usr/local'), { recursive: true });
    execFileSync('npm', ['install', '-g', '--prefix', path.join(root, 'usr/local'), '--cache', path.join(work, 'npm-cache'), '--ignore-scripts', '--no-audit', '--no-fund', ...specs], { stdio: 'ignore' });
    const measured = await packLayer(root);
    const predicted = answer.state === 'known' ? answer.value.installedBytes : undefined;
    log(`  ${name}: predicted ${predicted ?? 'unknown'}${answer.state === 'known' ? ` (${answer.value.packages.length} packages)` : ''}, measured ${measured.tarBytes}`);
    samples.push({ kind: 'RUN npm install', name, predicted, measured: measured.tarBytes, peer: measured.contentBytes });
  }
  return samples;
}
