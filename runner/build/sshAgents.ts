// `--ssh default|ID[=SOCKET|KEY[,KEY...]]`, as buildx takes it, and the agents RUN
// --mount=type=ssh forwards. A source is an agent socket (`default` alone: $SSH_AUTH_SOCK) or key
// files, which are loaded into a private `ssh-agent` started for this build (openssh-client) and
// stopped at its end. Each RUN gets its own proxy socket in its bundle directory (mode, uid and
// gid as the mount says; the host socket itself is never exposed or changed); every connection
// to it is piped to the agent. Nothing of it enters a layer, the cache key or the history.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BuildError } from './buildError';

export type SshSource = { id: string; socket: string } | { id: string; keys: string[] };

function isSocket(file: string): boolean {
  try {
    return fs.statSync(file).isSocket();
  } catch {
    return false;
  }
}

/** Parses one `--ssh` value. */
export function parseSshFlag(text: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SshSource {
  const eq = text.indexOf('=');
  const id = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!id || /[,\s]/.test(id)) throw new BuildError(`--ssh ${text}: expected ID[=SOCKET|KEY[,KEY...]] (e.g. default, or default=$SSH_AUTH_SOCK)`);
  const paths = eq < 0 ? [] : text.slice(eq + 1).split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(cwd, p.replace(/^~(?=\/)/, env.HOME ?? '~')));
  if (paths.length === 0) {
    const sock = env.SSH_AUTH_SOCK;
    if (!sock) throw new BuildError(`--ssh ${text}: SSH_AUTH_SOCK is not set; give a socket or key files (--ssh ${id}=PATH)`);
    return { id, socket: sock };
  }
  if (paths.length === 1 && isSocket(paths[0])) return { id, socket: paths[0] };
  for (const p of paths) {
    if (isSocket(p)) throw new BuildError(`--ssh ${text}: give one agent socket or key files, not both`);
    try {
      fs.accessSync(p, fs.constants.R_OK);
    } catch {
      throw new BuildError(`--ssh ${text}: ${p} is neither an agent socket nor a readable key file`);
    }
  }
  return { id, keys: paths };
}

async function waitForSocket(file: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (isSocket(file)) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new BuildError('ssh-agent did not start');
}

/** The build's SSH agents: sockets as given, key files through private agents started on first use. */
export class SshAgents {
  private readonly sources: Map<string, SshSource>;
  private readonly started = new Map<string, Promise<string>>();
  private readonly agents: ChildProcess[] = [];

  constructor(sources: readonly SshSource[], private readonly dir: () => Promise<string>) {
    this.sources = new Map(sources.map((s) => [s.id, s]));
  }

  /** The agent socket for `id`, or undefined when the build was not given one. */
  socket(id: string): Promise<string | undefined> {
    const source = this.sources.get(id);
    if (!source) return Promise.resolve(undefined);
    if ('socket' in source) {
      if (!isSocket(source.socket)) return Promise.reject(new BuildError(`--ssh ${id}: ${source.socket} is not an agent socket (is the agent running?)`));
      return Promise.resolve(source.socket);
    }
    let p = this.started.get(id);
    if (!p) {
      p = this.startAgent(source.keys);
      this.started.set(id, p);
    }
    return p;
  }

  private async startAgent(keys: string[]): Promise<string> {
    const sock = path.join(await this.dir(), 'agent.sock');
    const child = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    this.agents.push(child);
    const failed = new Promise<never>((_, reject) => child.on('error', (err) => reject(new BuildError(`--ssh with key files needs ssh-agent (openssh-client): ${err.message}`))));
    failed.catch(() => undefined);
    await Promise.race([waitForSocket(sock, child), failed]);
    await new Promise<void>((resolve, reject) => execFile('ssh-add', ['-q', ...keys], { env: { ...process.env, SSH_AUTH_SOCK: sock } }, (err, _out, stderr) => {
      if (err) reject(new BuildError(`--ssh: ssh-add could not load ${keys.join(', ')}: ${String(stderr).trim() || err.message}`));
      else resolve();
    }));
    return sock;
  }

  /** Stops the private agents. */
  close(): void {
    for (const child of this.agents) if (child.exitCode === null) child.kill('SIGTERM');
  }
}

/** A socket at `file` (mode, owner as given) whose connections are piped to the agent at `agent`. */
export async function proxyAgentSocket(agent: string, file: string, mode: number, owner?: { uid: number; gid: number }): Promise<{ close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(agent);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  await fs.promises.chmod(file, mode);
  if (owner) await fs.promises.chown(file, owner.uid, owner.gid);
  return {
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
