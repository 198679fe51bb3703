// bench/size-accuracy: predicted against measured layer sizes, per layer kind (median and 90th
// percentile of |predicted - measured| / measured), next to a peer predictor.
//
//   node out/bench/size-accuracy/index.js [--suites copy,apt,download,npm] [--work /var/tmp/layerlens-bench]
//                                         [--measured builds.json] [--verbose]
//
// copy:     real trees as contexts; measured by copying independently and packing with tar-stream;
//           the docker CLI (if installed) decides which files are sent and gives a Go archive/tar figure.
// apt:      `RUN apt-get ...` into a debootstrap'ed Debian 12 (overlayfs + chroot, real downloads),
//           measured by packing the overlay upper directory. Needs root, overlayfs and the Debian mirror.
// download: `RUN curl -o ...` of Debian mirror files, measured the same way.
// npm:      `npm install -g` of registry packages, measured by a real npm install (registry.npmjs.org).
// builds:   sample projects built with our engine (dist/cli.js build) on an imported Debian 12:
//           COPY, WORKDIR, RUN apt-get install, RUN npm ci/install, RUN curl, per layer.
// --measured: layer sizes from real builds (see measuredInput.ts), once the build engine writes them.
// Targets (printed, not enforced): COPY/ADD within 1%, FROM exact when local, RUN apt within 25% at the median.
import * as path from 'path';
import { runAptSuite } from './aptSuite';
import { runBuildsSuite } from './buildsSuite';
import { runCopySuite } from './copySuite';
import { runMeasuredInput } from './measuredInput';
import { runNpmSuite } from './npmSuite';
import { printSamples, printSummary, type Sample } from './stats';

interface Options {
  suites: string[];
  work: string;
  measured?: string;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { suites: ['copy', 'apt', 'download'], work: '/var/tmp/layerlens-bench', verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    if (argv[i] === '--suites') options.suites = value().split(',');
    else if (argv[i] === '--work') options.work = path.resolve(value());
    else if (argv[i] === '--measured') options.measured = path.resolve(value());
    else if (argv[i] === '--verbose') options.verbose = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const samples: Sample[] = [];
  const log = (line: string): void => console.log(line);
  if (options.suites.includes('copy')) {
    console.log('copy suite: contexts from node_modules, /usr/share/doc and edge cases');
    samples.push(...(await runCopySuite(options.work, log)));
  }
  if (options.suites.includes('apt') || options.suites.includes('download')) {
    console.log('apt/download suite: debootstrap Debian 12, overlayfs + chroot');
    samples.push(...(await runAptSuite(options.work, { apt: options.suites.includes('apt'), download: options.suites.includes('download') }, log)));
  }
  if (options.suites.includes('npm')) {
    console.log('npm suite: npm install -g of registry packages (registry.npmjs.org), measured by a real npm install');
    samples.push(...(await runNpmSuite(options.work, log)));
  }
  if (options.suites.includes('builds')) {
    console.log('builds suite: sample projects built with layerlens build on an imported debootstrap Debian 12');
    samples.push(...(await runBuildsSuite(options.work, log)));
  }
  if (options.measured) samples.push(...(await runMeasuredInput(options.measured, log)));
  if (options.verbose) printSamples(samples);
  printSummary(samples, {
    'COPY (context)': 'sum of file sizes',
    'ADD (local tar)': 'sum of file sizes',
    'RUN apt-get install': 'apt "additional disk space"',
    'RUN curl download': 'Content-Length only',
    'RUN npm install': 'content bytes only (sum of unpackedSize)',
  });
  console.log('targets: COPY/ADD < 1% median; FROM exact when local; RUN package installs < 25% median');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
