// COPY/ADD accuracy: real directory trees as build contexts, each COPY predicted by the editor's
// pipeline and measured by doing the copy independently (the docker CLI decides which files are
// sent, `cp -a` copies them, tar-stream packs the layer).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { openBuildContext } from '../../server/context';
import type { FileNode } from '../../server/plan/size/fileTree';
import { tarLayerSize, type LayerEntry } from '../../server/plan/size/tarLayerSize';
import { captureContextTar } from './dockerCliOracle';
import { packLayer } from './packLayer';
import { predictSettled } from './predictSteps';
import type { Sample } from './stats';

interface CopyCase {
  name: string;
  line: string;
  /** Shell commands run in `$ROOT` (staging root) with `$CTX` (the files sent). */
  materialize: string;
  kind?: string;
}

interface ContextSpec {
  name: string;
  build: (dir: string) => void;
  cases: CopyCase[];
}

function sh(script: string, env: Record<string, string>): void {
  execFileSync('bash', ['-O', 'nullglob', '-c', `set -e\n${script}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

const REPO = path.resolve(__dirname, '..', '..', '..');

const CONTEXTS: ContextSpec[] = [
  {
    name: 'node-modules',
    build: (dir) => {
      for (const m of ['typescript', 'vscode-languageserver', 'vscode-languageserver-protocol', 'vscode-jsonrpc', 'tar-stream', 'esbuild']) {
        sh(`cp -a "${path.join(REPO, 'node_modules', m)}" "${path.join(dir, m)}"`, {});
      }
      fs.writeFileSync(path.join(dir, '.dockerignore'), '**/*.md\n!typescript/README.md\nesbuild/bin\n');
    },
    cases: [
      { name: 'COPY . /app', line: 'COPY . /app', materialize: 'mkdir -p "$ROOT/app" && cp -a "$CTX/." "$ROOT/app/"' },
      { name: 'COPY typescript/lib /app/lib', line: 'COPY typescript/lib /app/lib', materialize: 'mkdir -p "$ROOT/app/lib" && cp -a "$CTX/typescript/lib/." "$ROOT/app/lib/"' },
      {
        name: 'COPY --exclude=*.d.ts typescript/lib',
        line: 'COPY --exclude=*.d.ts typescript/lib /usr/lib/ts/',
        materialize: 'mkdir -p "$ROOT/usr/lib/ts" && cp -a "$CTX/typescript/lib/." "$ROOT/usr/lib/ts/" && find "$ROOT/usr/lib/ts" -maxdepth 1 -name "*.d.ts" -delete',
      },
      { name: 'COPY */package.json /app/', line: 'COPY */package.json /app/', materialize: 'mkdir -p "$ROOT/app" && for d in $(ls -1 "$CTX" | LC_ALL=C sort); do if [ -f "$CTX/$d/package.json" ]; then cp -a "$CTX/$d/package.json" "$ROOT/app/"; fi; done' },
      // (a shell glob would sort whole paths, "a-b/x" before "a/x"; BuildKit walks directory by directory)
      { name: 'COPY --parents */package.json /srv/', line: 'COPY --parents */package.json /srv/', materialize: 'mkdir -p "$ROOT/srv" && cd "$CTX" && cp -a --parents */package.json "$ROOT/srv/"' },
    ],
  },
  {
    name: 'usr-share-doc',
    build: (dir) => {
      sh(`cp -a /usr/share/doc/. "${dir}/"`, {});
      fs.writeFileSync(path.join(dir, '.dockerignore'), '*/changelog.Debian.gz\n*/copyright\n!libc6/copyright\n');
    },
    cases: [
      { name: 'COPY . /usr/share/doc/', line: 'COPY . /usr/share/doc/', materialize: 'mkdir -p "$ROOT/usr/share/doc" && cp -a "$CTX/." "$ROOT/usr/share/doc/"' },
      {
        name: 'COPY lib* /d/ (directory contents merge)',
        line: 'COPY lib* /d/',
        materialize: 'mkdir -p "$ROOT/d" && for f in "$CTX"/lib*; do if [ -d "$f" ]; then cp -a --remove-destination "$f/." "$ROOT/d/"; else cp -aL --remove-destination "$f" "$ROOT/d/"; fi; done',
      },
    ],
  },
  {
    name: 'edge-cases',
    build: (dir) => {
      const put = (rel: string, data: string | Buffer): void => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), data);
      };
      put('big.bin', Buffer.alloc(10_000_001, 7));
      put(`${'long-directory-name-'.repeat(4)}/${'f'.repeat(90)}.txt`, 'split as USTAR prefix');
      put(`${'n'.repeat(120)}.txt`, 'needs a PAX path');
      put(`deep/${'x/'.repeat(60)}leaf.txt`, 'very deep');
      put('unicode/héllo wörld ✓.txt', 'utf-8 name');
      put('empty.txt', '');
      for (let i = 0; i < 300; i++) put(`many/f${i}.txt`, 'y'.repeat(i * 7));
      fs.mkdirSync(path.join(dir, 'emptydir/nested'), { recursive: true });
      fs.symlinkSync('t'.repeat(150), path.join(dir, 'longlink'));
      fs.symlinkSync('big.bin', path.join(dir, 'shortlink'));
      fs.linkSync(path.join(dir, 'many/f299.txt'), path.join(dir, 'hardlink.txt'));
    },
    cases: [
      { name: 'COPY . /x (long names, links, hard links)', line: 'COPY . /x', materialize: 'mkdir -p "$ROOT/x" && cp -a "$CTX/." "$ROOT/x/"' },
      { name: 'COPY big.bin /opt/big.bin', line: 'COPY big.bin /opt/big.bin', materialize: 'mkdir -p "$ROOT/opt" && cp -a "$CTX/big.bin" "$ROOT/opt/big.bin"' },
      { name: 'COPY many /m/', line: 'COPY many /m/', materialize: 'mkdir -p "$ROOT/m" && cp -a "$CTX/many/." "$ROOT/m/"' },
      { name: 'ADD bundle.tar.gz /opt/', line: 'ADD bundle.tar.gz /opt/', kind: 'ADD (local tar)', materialize: 'mkdir -p "$ROOT/opt" && tar -xzf "$CTX/bundle.tar.gz" -C "$ROOT/opt"' },
      { name: 'ADD notes.txt.gz /opt/ (not a tar)', line: 'ADD notes.txt.gz /opt/', kind: 'ADD (local tar)', materialize: 'mkdir -p "$ROOT/opt" && cp -a "$CTX/notes.txt.gz" "$ROOT/opt/"' },
    ],
  },
];

function entriesOf(node: FileNode, prefix = ''): LayerEntry[] {
  const out: LayerEntry[] = [];
  for (const [name, child] of node.children ?? new Map<string, FileNode>()) {
    const p = prefix + name;
    out.push({ path: p, kind: child.kind === 'dir' ? 'dir' : child.kind, size: child.size, linkTarget: child.linkTarget, inode: child.inode });
    if (child.kind === 'dir') out.push(...entriesOf(child, p + '/'));
  }
  return out;
}

export async function runCopySuite(work: string, log: (line: string) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const spec of CONTEXTS) {
    const ctxDir = path.join(work, 'contexts', spec.name);
    fs.rmSync(ctxDir, { recursive: true, force: true });
    fs.mkdirSync(ctxDir, { recursive: true });
    spec.build(ctxDir);
    if (spec.name === 'edge-cases') {
      sh(`tar -czf "${ctxDir}/bundle.tar.gz" -C "${path.join(work, 'contexts', 'node-modules')}" typescript/lib tar-stream`, {});
      sh(`printf 'plain text, gzip but not a tar\\n' | gzip > "${ctxDir}/notes.txt.gz"`, {});
    }
    fs.writeFileSync(path.join(ctxDir, 'Dockerfile'), 'FROM scratch\n');
    const opened = openBuildContext({ contextDir: ctxDir, dockerfilePath: path.join(ctxDir, 'Dockerfile'), watch: false });
    await opened.ready;
    // The files that would be sent, decided by the docker CLI (moby/patternmatcher) when present.
    const sentDir = path.join(work, 'sent', spec.name);
    fs.rmSync(sentDir, { recursive: true, force: true });
    fs.mkdirSync(sentDir, { recursive: true });
    const captured = await captureContextTar(ctxDir);
    if (captured) {
      execFileSync('tar', ['-xf', '-', '-C', sentDir], { input: captured, maxBuffer: 2 ** 31 });
      const tree = opened.scanner.tree();
      if (tree) {
        const predicted = tarLayerSize(entriesOf(tree), { includeParents: false }).tarBytes;
        samples.push({ kind: 'context tar (Go archive/tar)', name: spec.name, predicted, measured: captured.length });
      }
    } else {
      log(`  (no docker CLI: ${spec.name} uses the scanner's own file selection for the measured side)`);
      sh(`cp -a "${ctxDir}/." "${sentDir}/"`, {});
    }
    for (const c of spec.cases) {
      const sized = await predictSettled(`FROM scratch\n${c.line}\n`, { context: opened.reader }, () => opened.reader.settle());
      const step = sized.stages[0].steps[1];
      const root = path.join(work, 'staging', spec.name);
      fs.rmSync(root, { recursive: true, force: true });
      fs.mkdirSync(root, { recursive: true });
      sh(c.materialize, { ROOT: root, CTX: sentDir });
      const measured = await packLayer(root);
      samples.push({ kind: c.kind ?? 'COPY (context)', name: `${spec.name}: ${c.name}`, predicted: step.predictedBytes, measured: measured.tarBytes, peer: measured.contentBytes });
      if (step.predictedBytes === undefined) log(`  ${c.name}: unknown (${step.basis})`);
    }
    opened.dispose();
  }
  return samples;
}
