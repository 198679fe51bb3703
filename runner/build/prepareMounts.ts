// RUN --mount, turned into what the container runtime mounts:
// - cache: a persistent directory per id under <store>/build-cache/mounts/ (never in a layer);
//   sharing=locked serialises users (in this process and across processes: a flock per mount),
//   sharing=private gets a fresh directory when the shared one is busy;
// - bind: a path of the build context (read-only by default; the directory itself only when
//   .dockerignore hides nothing, else a copy of what is sent), or of another stage or image (a
//   copy); a writable bind is always a throw-away copy;
// - tmpfs; secret: a private copy of the secret (or an environment variable with env=);
// - ssh: a proxy socket to a --ssh agent (sshAgents.ts), SSH_AUTH_SOCK set for id=default.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { resolveNode } from '../../server/plan/size/fileTree';
import type { RunMount } from '../../server/plan/types';
import type { MountSpec } from '../run/containerSpec';
import { BuildError } from './buildError';
import type { BuildSession } from './buildSession';
import { StoreLock } from '../store/storeLock';
import { cacheDir } from './buildCache';
import { copyTree } from './copyTree';
import type { UnionNode } from './layerUnion';
import { readSecret } from './secrets';
import { proxyAgentSocket } from './sshAgents';

export interface PreparedMounts {
  mounts: MountSpec[];
  /** Extra environment (secrets with env=). */
  env: string[];
  /** Targets as the container sees them (for removing mount points afterwards). */
  targets: string[];
  /** Releases locks and busy markers. */
  release(): void;
}

const busyCaches = new Set<string>();

function absoluteTarget(target: string, workdir: string): string {
  return path.posix.resolve('/', workdir || '/', target);
}

/** Bytes for a tmpfs `size=` value (`64m`, `1GiB`, `1048576`). */
export function tmpfsBytes(size: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpP]?)[iI]?[bB]?$/.exec(size.trim());
  if (!m) throw new BuildError(`invalid tmpfs size '${size}'`);
  const scale: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.floor(Number(m[1]) * scale[m[2].toLowerCase()]);
}

export async function prepareMounts(session: BuildSession, mounts: readonly RunMount[], workdir: string, bundleDir: string, platform: string): Promise<PreparedMounts> {
  const out: MountSpec[] = [];
  const env: string[] = [];
  const targets: string[] = [];
  const releases: (() => void)[] = [];
  let secretIndex = 0;
  let sshIndex = 0;
  try {
    for (const m of mounts) {
      const target = m.target === undefined ? undefined : absoluteTarget(m.target, workdir);
      switch (m.type) {
        case 'cache': {
          const { dir, release } = await cacheMount(session, m, platform);
          releases.push(release);
          out.push({ type: 'bind', source: dir, target: target as string, readOnly: m.readOnly === true });
          break;
        }
        case 'tmpfs': {
          const options = m.size ? [`size=${tmpfsBytes(m.size)}`] : [];
          out.push({ type: 'tmpfs', target: target as string, options });
          break;
        }
        case 'bind': {
          const source = await bindSource(session, m, platform);
          out.push({ type: 'bind', source, target: target as string, readOnly: m.readOnly !== false });
          break;
        }
        case 'secret': {
          const id = m.id ?? path.posix.basename(m.target ?? '');
          const source = session.secrets.get(id);
          const value = source ? readSecret(source) : undefined;
          if (value === undefined) {
            if (m.required) throw new BuildError(`secret ${id} is required but was not given (layerlens build --secret id=${id},src=FILE)`);
            continue;
          }
          if (m.env !== undefined) {
            env.push(`${m.env}=${value.toString()}`);
            if (!['target', 'dst', 'destination'].some((k) => k in m.options)) continue;
          }
          const file = path.join(bundleDir, `secret-${secretIndex++}`);
          await fs.promises.writeFile(file, value, { mode: 0o600 });
          await fs.promises.chmod(file, m.mode !== undefined ? parseInt(m.mode, 8) : 0o400);
          if (session.ids.canChown) await fs.promises.chown(file, Number(m.uid ?? 0), Number(m.gid ?? 0));
          out.push({ type: 'bind', source: file, target: target ?? `/run/secrets/${id}`, readOnly: true });
          break;
        }
        case 'ssh': {
          const id = m.id ?? 'default';
          const agent = await session.ssh.socket(id);
          if (agent === undefined) {
            if (m.required) throw new BuildError(`ssh agent ${id} is required but was not given (layerlens build --ssh ${id}[=SOCKET|KEY])`);
            continue;
          }
          const file = path.join(bundleDir, `ssh-${sshIndex}.sock`);
          const owner = session.ids.canChown ? { uid: Number(m.uid ?? 0), gid: Number(m.gid ?? 0) } : undefined;
          const proxy = await proxyAgentSocket(agent, file, m.mode !== undefined ? parseInt(m.mode, 8) : 0o600, owner);
          releases.push(() => proxy.close());
          const sshTarget = target ?? `/run/buildkit/ssh_agent.${sshIndex}`;
          sshIndex++;
          if (id === 'default') env.push(`SSH_AUTH_SOCK=${sshTarget}`);
          out.push({ type: 'bind', source: file, target: sshTarget, readOnly: false });
          break;
        }
      }
      const last = out[out.length - 1];
      if (last) targets.push(last.target);
    }
  } catch (err) {
    releases.forEach((r) => r());
    throw err;
  }
  return { mounts: out, env, targets: [...new Set(targets)], release: () => releases.forEach((r) => r()) };
}

async function cacheMount(session: BuildSession, m: RunMount, platform: string): Promise<{ dir: string; release: () => void }> {
  const id = m.id ?? m.target ?? '';
  const key = createHash('sha256').update(`${id}\u0000${m.fromStage ?? ''}${m.fromImage ?? ''}\u0000${m.source ?? ''}`).digest('hex').slice(0, 40);
  const shared = path.join(cacheDir(session.store), 'mounts', key);
  const sharing = m.sharing ?? 'shared';
  let dir = shared;
  let release = () => undefined as void;
  if (sharing === 'locked') {
    // In this process a keyed mutex; across processes (concurrent builds on one store) a flock on
    // build-cache/locks/<key>.lock, taken while the mutex is held.
    const locks = path.join(cacheDir(session.store), 'locks');
    await fs.promises.mkdir(locks, { recursive: true, mode: 0o700 });
    const fileLock = new StoreLock(path.join(locks, `${key}.lock`), () => {
      session.emit({ type: 'warning', time: Date.now(), message: `waiting for another build using cache mount ${id} (sharing=locked)` });
    });
    let unlock: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { unlock = resolve; });
    const acquired = new Promise<void>((resolve, reject) => {
      session.exclusive(`cache:${key}`, () => fileLock.withLock(async () => {
        resolve();
        await held;
      })).catch(reject);
    });
    await acquired;
    release = unlock;
  } else if (sharing === 'private' && busyCaches.has(shared)) {
    dir = await session.scratch.dir('cache-private');
  }
  if (dir === shared) {
    busyCaches.add(shared);
    const previous = release;
    release = () => {
      busyCaches.delete(shared);
      previous();
    };
  }
  if (!fs.existsSync(dir) || dir !== shared) await initialiseCacheDir(session, m, dir, platform);
  return { dir, release };
}

async function initialiseCacheDir(session: BuildSession, m: RunMount, dir: string, platform: string): Promise<void> {
  const fresh = !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
  if (!fresh) return;
  const staging = `${dir}.${process.pid}.new`;
  await fs.promises.rm(staging, { recursive: true, force: true });
  await fs.promises.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  if (m.fromStage !== undefined || m.fromImage !== undefined) {
    const node = await stageNode(session, m, platform);
    await copyTree(node, '.', staging, (n) => (n as UnionNode).hostPath, (n) => ({ uid: (n as UnionNode).uid, gid: (n as UnionNode).gid }));
  } else {
    await fs.promises.mkdir(staging);
  }
  await fs.promises.chmod(staging, m.mode !== undefined ? parseInt(m.mode, 8) : 0o755);
  if (session.ids.canChown) await fs.promises.chown(staging, Number(m.uid ?? 0), Number(m.gid ?? 0));
  if (fs.existsSync(dir)) await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.rename(staging, dir);
}

/** The node a `from=` mount reads: `source` inside another stage's or an image's file system. */
async function stageNode(session: BuildSession, m: RunMount, platform: string): Promise<UnionNode> {
  const layers = m.fromStage !== undefined ? (await session.stage(m.fromStage)).layers : await session.imageLayers(m.fromImage as string, platform);
  const union = await session.union(layers);
  const resolved = union.resolve(m.source ?? '/');
  const node = resolved === undefined ? undefined : union.node(resolved);
  if (!node) throw new BuildError(`mount source "${m.source ?? '/'}" does not exist in ${m.fromStage !== undefined ? `stage ${m.options.from}` : m.fromImage}`);
  return node;
}

async function bindSource(session: BuildSession, m: RunMount, platform: string): Promise<string> {
  const writable = m.readOnly === false;
  if (m.fromStage !== undefined || m.fromImage !== undefined) {
    const node = await stageNode(session, m, platform);
    const copy = path.join(await session.scratch.dir('bind'), 'src');
    await copyTree(node, '.', copy, (n) => (n as UnionNode).hostPath, (n) => ({ uid: (n as UnionNode).uid, gid: (n as UnionNode).gid }));
    return copy;
  }
  const source = path.posix.normalize('/' + (m.source ?? '.')).slice(1) || '.';
  const found = resolveNode(session.context.tree, source);
  if (!found) throw new BuildError(`mount source "${m.source ?? '.'}" is not in the build context (or .dockerignore excludes it)`);
  if (!writable && !session.context.filtered) return found.path === '.' ? session.context.dir : path.join(session.context.dir, found.path);
  const copy = path.join(await session.scratch.dir('bind'), 'src');
  await copyTree(found.node, found.path, copy, (_n, rel) => path.join(session.context.dir, rel));
  return copy;
}
