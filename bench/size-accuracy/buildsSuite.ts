// builds suite: sample projects built with our own engine (`node dist/cli.js build`) on a
// debootstrap'ed Debian 12 imported with `layerlens import`, each layer's measured size (the
// build's step-finished events) against the prediction the editor would show for the same step
// (PlanInputs: the local store for FROM and apt, the npm registry, Content-Length). Needs root,
// debootstrap, the Debian mirror and registry.npmjs.org. Uses its own store under --work.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { PlannedStep } from '../../server/plan/types';
import { predictAsTheEditor } from './predictSteps';
import type { Sample } from './stats';

const MIRROR = 'http://deb.debian.org/debian';
const BASE = 'layerlens-bench/debian:12';
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
/** The host's extra CA certificates, in the base image (relative to its root). */
const BENCH_CA = 'usr/local/share/ca-certificates/layerlens-bench.crt';

interface Project {
  name: string;
  files: Record<string, string | Buffer>;
  /** package.json whose lock file is made with `npm install --package-lock-only` first. */
  npm?: Record<string, unknown>;
  dockerfile: string;
  /** Extra set-up in the project directory (after its files are written). */
  prepare?: (dir: string) => void;
}

const NODE = 'RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*';

function sourceFiles(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 40; i++) files[`src/m${i}.js`] = `export const v${i} = ${JSON.stringify('x'.repeat(37 * i + 11))};\n`;
  files['src/data/blob.bin'] = Buffer.alloc(70_001, 7);
  files['README.md'] = '# sample\n';
  return files;
}

const PROJECTS: Project[] = [
  {
    name: 'node-express',
    files: sourceFiles(),
    npm: { name: 'sample-express', version: '1.0.0', private: true, dependencies: { express: '4.19.2', debug: '4.3.4' }, devDependencies: { 'left-pad': '1.3.0' } },
    dockerfile: `FROM ${BASE}\n${NODE}\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY src/ ./src/\nCOPY README.md ./\n`,
  },
  {
    name: 'node-semver-cache',
    files: {},
    npm: { name: 'sample-semver', version: '1.0.0', private: true, dependencies: { semver: '7.6.0', commander: '12.0.0', chalk: '4.1.2' } },
    dockerfile: `FROM ${BASE}\n${NODE}\nWORKDIR /srv/app\nCOPY package*.json ./\nRUN npm ci\n`,
  },
  {
    name: 'node-typescript-install',
    files: {},
    npm: { name: 'sample-ts', version: '1.0.0', private: true, dependencies: { typescript: '5.4.5', lodash: '4.17.21' } },
    dockerfile: `FROM ${BASE}\n${NODE}\nWORKDIR /work\nCOPY package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm install\n`,
  },
  {
    // apt with Recommends (git), the `apt` binary (keeps no archives) and Python byte-compiling (python3).
    name: 'apt-variety',
    files: {},
    dockerfile: `FROM ${BASE}\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\nRUN apt update && apt install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*\n`,
  },
  {
    // COPY --from a stage whose file a download wrote; an account.
    name: 'multistage',
    files: { 'app.conf': 'listen 8080\n' },
    dockerfile: `FROM ${BASE} AS fetch\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN mkdir -p /out && curl -fsSL -o /out/Release ${MIRROR}/dists/bookworm/Release\nFROM ${BASE}\nRUN useradd -m -u 1001 app\nCOPY --from=fetch /out/ /opt/fetched/\nCOPY --chown=app:app app.conf /etc/app/\n`,
  },
  {
    name: 'tools',
    files: sourceFiles(),
    dockerfile: `FROM ${BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates jq && rm -rf /var/lib/apt/lists/*\nWORKDIR /opt/tools\nRUN curl -fsSL -o /opt/tools/Release ${MIRROR}/dists/bookworm/Release\nRUN curl -fsSL -o /opt/tools/InRelease ${MIRROR}/dists/bookworm-updates/InRelease\nADD vendor.tar.gz /opt/vendor/\nCOPY . /opt/ctx/\n`,
    // A local tar.gz (GNU tar, with directories and owner names) that ADD unpacks.
    prepare: (dir) => run('tar', ['-czf', path.join(dir, 'vendor.tar.gz'), '-C', path.join(dir, 'src'), '.']),
  },
];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env, cwd, maxBuffer: 2 ** 30 });
}

/** Debootstraps bookworm (shared with the apt suite), cleans it like an image build and imports it. */
function prepareBase(work: string, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  const raw = path.join(work, 'rootfs');
  if (!fs.existsSync(path.join(raw, 'var/lib/dpkg/status'))) {
    log('  debootstrap --variant=minbase bookworm (about two minutes)...');
    run('debootstrap', ['--variant=minbase', 'bookworm', raw, MIRROR]);
  }
  const images = spawnSync('node', [CLI, 'images'], { env, encoding: 'utf8' }).stdout ?? '';
  if (images.includes('layerlens-bench/debian')) return;
  // A TLS-intercepting egress proxy: its CAs (the host's extra ones) go into the base so npm can reach the registry.
  const extra = '/usr/local/share/ca-certificates';
  const cas = fs.existsSync(extra) ? fs.readdirSync(extra).filter((f) => f.endsWith('.crt')).map((f) => fs.readFileSync(path.join(extra, f), 'utf8')) : [];
  fs.mkdirSync(path.join(raw, 'usr/local/share/ca-certificates'), { recursive: true });
  fs.writeFileSync(path.join(raw, BENCH_CA), cas.join('\n'));
  const tarball = path.join(work, 'base-plain.tar');
  run('bash', ['-c', `tar -C "${raw}" --exclude=./var/lib/apt/lists/* --exclude=./var/cache/apt/*.bin --exclude=./var/cache/apt/archives/*.deb --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -cf "${tarball}" .`]);
  log('  layerlens import base-plain.tar');
  run('node', [CLI, 'import', '-c', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '-c', `ENV NODE_EXTRA_CA_CERTS=/${BENCH_CA}`, tarball, BASE], env);
}

function writeProject(dir: string, project: Project): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(project.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  if (project.npm) {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(project.npm, null, 2) + '\n');
    run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { ...process.env, npm_config_cache: path.join(dir, '..', 'npm-host-cache'), npm_config_omit_lockfile_registry_resolved: 'false' }, dir);
  }
  project.prepare?.(dir);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), project.dockerfile);
}

/** The base image's size as the store holds it: each layer blob decompressed and counted. */
function measureStoredImage(store: string, ref: string): number {
  const blob = (digest: string): Buffer => fs.readFileSync(path.join(store, 'blobs', digest.replace(':', '/')));
  const index = JSON.parse(fs.readFileSync(path.join(store, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === `docker.io/${ref}`);
  if (!entry) throw new Error(`${ref} is not in ${store}`);
  const manifest = JSON.parse(blob(entry.digest).toString('utf8')) as { layers: { digest: string; mediaType: string }[] };
  let bytes = 0;
  for (const layer of manifest.layers) {
    const data = blob(layer.digest);
    bytes += layer.mediaType.endsWith('+gzip') ? zlib.gunzipSync(data, { maxOutputLength: 2 ** 32 }).length : data.length;
  }
  return bytes;
}

interface FinishedStep {
  stage: number;
  step: number;
  cacheKey: string;
  layer?: { bytes: number };
}

/** Builds with the engine; the per-step layer sizes from `--progress json`. */
function build(dir: string, tag: string, env: NodeJS.ProcessEnv): FinishedStep[] {
  const out = spawnSync('node', [CLI, 'build', '--progress', 'json', '-t', tag, dir], { env, encoding: 'utf8', maxBuffer: 2 ** 30 });
  const events = out.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string } & FinishedStep & { message?: string; lastLines?: string[] });
  const failed = events.find((e) => e.type === 'step-failed' || e.type === 'build-failed');
  if (out.status !== 0 || failed) throw new Error(`build of ${dir} failed: ${failed?.message ?? out.stderr.slice(-2000)} ${(failed?.lastLines ?? []).slice(-10).join('\n')}`);
  return events.filter((e) => e.type === 'step-finished');
}

function kindOf(step: PlannedStep): string | undefined {
  const text = step.display;
  if (step.instruction === 'COPY' && /--from/.test(text)) return 'COPY --from a stage (build)';
  if (step.instruction === 'COPY' || step.instruction === 'ADD') return `${step.instruction} (build)`;
  if (step.instruction === 'WORKDIR') return 'WORKDIR (build)';
  if (step.instruction !== 'RUN') return undefined;
  if (/apt(-get)? install/.test(text)) return 'RUN apt-get install (build)';
  if (/npm (ci|install|i)\b/.test(text)) return 'RUN npm ci/install (build)';
  if (/curl|wget/.test(text)) return 'RUN download (build)';
  if (/useradd|adduser/.test(text)) return 'RUN useradd (build)';
  return 'RUN other (build)';
}

export async function runBuildsSuite(work: string, log: (line: string) => void): Promise<Sample[]> {
  const store = path.join(work, 'builds-store');
  process.env.LAYERLENS_STORE = store;
  const env = { ...process.env, LAYERLENS_STORE: store };
  prepareBase(work, env, log);
  const samples: Sample[] = [];
  // A layer the engine's cache shares between projects (same parent, same step) is one sample.
  const seen = new Set<string>();
  for (const project of PROJECTS) {
    const dir = path.join(work, 'builds', project.name);
    writeProject(dir, project);
    const started = Date.now();
    const finished = build(dir, `layerlens-bench/${project.name}:latest`, env);
    log(`  ${project.name}: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const { plan } = await predictAsTheEditor(path.join(dir, 'Dockerfile'));
    if (project === PROJECTS[0]) {
      const from = plan.stages[0]?.steps[0];
      const measured = measureStoredImage(store, BASE);
      samples.push({ kind: 'FROM (local store)', name: `${project.name}: ${from?.display ?? 'FROM'}`, predicted: from?.predictedBytes, measured });
      log(`    ${(from?.display ?? 'FROM').padEnd(70)} predicted ${String(from?.predictedBytes ?? 'unknown').padStart(11)} measured ${String(measured).padStart(11)}${from?.predictedBytes === undefined ? `  (${from?.basis ?? ''})` : ''}`);
    }
    for (const f of finished) {
      const step = plan.stages[f.stage]?.steps[f.step];
      const kind = step && kindOf(step);
      if (!step || !kind || seen.has(f.cacheKey)) continue;
      seen.add(f.cacheKey);
      const measured = f.layer?.bytes ?? 0;
      samples.push({ kind, name: `${project.name}: ${step.display}`, predicted: step.predictedBytes, measured });
      log(`    ${step.display.slice(0, 70).padEnd(70)} predicted ${String(step.predictedBytes ?? 'unknown').padStart(11)} measured ${String(measured).padStart(11)}${step.predictedBytes === undefined ? `  (${(step.basis ?? '').slice(0, 160)})` : ''}`);
    }
  }
  return samples;
}
