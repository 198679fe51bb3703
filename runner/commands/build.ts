// `layerlens build [-t TAG]... [-f FILE] [--target STAGE] [--build-arg K=V]... [--secret id=,src=]...
//  [--no-cache] [--pull] [--platform P] [--network host|none] [--progress auto|plain|json] CONTEXT`
// and `layerlens build --prune-cache`. Progress goes to stderr (json: one event per line on
// stdout); the image id is printed on stdout at the end.
import * as path from 'path';
import type { Command } from './command';
import { CliError } from './cliError';
import { buildImage, type BuildOptions } from '../build/buildImage';
import { BuildCancelledError, BuildError } from '../build/buildError';
import { clearBuildCache } from '../build/buildCache';
import type { BuildEvent } from '../build/events';
import { plainProgress } from '../build/progress/plainProgress';
import { ttyProgress } from '../build/progress/ttyProgress';
import { parseSecretFlag } from '../build/secrets';
import { parseSshFlag } from '../build/sshAgents';
import { formatBytes, openStore } from '../store/storeCli';

const USAGE = 'usage: layerlens build [-t TAG]... [-f FILE] [--target STAGE] [--build-arg K=V]... [--secret id=ID,src=FILE]... [--ssh default|ID[=SOCKET|KEY,...]]... [--allow security.insecure] [--no-cache] [--pull] [--platform P] [--network host|none] [--progress auto|plain|json] CONTEXT';

type Progress = 'auto' | 'plain' | 'json';

interface BuildArgs {
  options: BuildOptions;
  progress: Progress;
  pruneCache: boolean;
  dockerfileFromStdin: boolean;
}

function parseArgs(args: string[]): BuildArgs {
  const tags: string[] = [];
  const buildArgs: Record<string, string> = {};
  const secrets: string[] = [];
  const ssh: string[] = [];
  const allow: string[] = [];
  let file: string | undefined;
  let context: string | undefined;
  let target: string | undefined;
  let platform: string | undefined;
  let network: 'host' | 'none' | undefined;
  let progress: Progress = 'auto';
  let noCache = false;
  let pull = false;
  let pruneCache = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new CliError(`${name} needs a value\n${USAGE}`, 2);
      return v;
    };
    switch (name) {
      case '-t': case '--tag': tags.push(value()); break;
      case '-f': case '--file': file = value(); break;
      case '--target': target = value(); break;
      case '--platform': platform = value(); break;
      case '--secret': secrets.push(value()); break;
      case '--ssh': ssh.push(value()); break;
      case '--allow': {
        for (const entitlement of value().split(',').map((e) => e.trim()).filter(Boolean)) {
          if (entitlement !== 'security.insecure' && entitlement !== 'network.host') throw new CliError(`--allow ${entitlement}: expected security.insecure or network.host`, 2);
          allow.push(entitlement);
        }
        break;
      }
      case '--build-arg': {
        const kv = value();
        const at = kv.indexOf('=');
        if (at === 0) throw new CliError(`--build-arg ${kv}: the name is empty`, 2);
        if (at < 0) {
          // As docker build: `--build-arg NAME` takes the value from the environment.
          if (process.env[kv] !== undefined) buildArgs[kv] = process.env[kv] as string;
        } else buildArgs[kv.slice(0, at)] = kv.slice(at + 1);
        break;
      }
      case '--network': {
        const v = value();
        if (v !== 'host' && v !== 'none' && v !== 'default') throw new CliError(`--network ${v}: only host, none or default are supported`, 2);
        network = v === 'default' ? 'host' : v;
        break;
      }
      case '--progress': {
        const v = value();
        if (v !== 'auto' && v !== 'plain' && v !== 'json' && v !== 'tty') throw new CliError(`--progress ${v}: expected auto, plain or json`, 2);
        progress = v === 'tty' ? 'auto' : v;
        break;
      }
      case '--no-cache': noCache = true; break;
      case '--pull': pull = true; break;
      case '--prune-cache': pruneCache = true; break;
      case '-h': case '--help': throw new CliError(USAGE, 0);
      default:
        if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option '${arg}'\n${USAGE}`, 2);
        if (context !== undefined) throw new CliError(`unexpected argument '${arg}': give one build context\n${USAGE}`, 2);
        context = arg;
    }
  }
  if (!pruneCache && context === undefined) throw new CliError(USAGE, 2);
  let parsedSecrets;
  let parsedSsh;
  try {
    parsedSecrets = secrets.map((s) => parseSecretFlag(s));
    parsedSsh = ssh.map((s) => parseSshFlag(s));
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const contextDir = path.resolve(context ?? '.');
  const dockerfileFromStdin = file === '-';
  return {
    options: {
      contextDir,
      dockerfile: file === undefined || dockerfileFromStdin ? undefined : path.resolve(file),
      tags, target, buildArgs, secrets: parsedSecrets, ssh: parsedSsh, allow, noCache, pull, platform, network,
    },
    progress,
    pruneCache,
    dockerfileFromStdin,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function lineOf(err: BuildError, file: string): string {
  const r = err.detail.range;
  return r ? `${file}:${r.start.line + 1}` : file;
}

export const buildCommand: Command = {
  summary: 'build an image from a Dockerfile (-t, -f, --target, --build-arg, --secret, --ssh, --allow, --no-cache, --pull, --platform, --network, --progress, --prune-cache)',
  async run(args) {
    const parsed = parseArgs(args);
    const store = await openStore();
    if (parsed.pruneCache) {
      const removed = await store.withLock(async () => {
        const cleared = await clearBuildCache(store);
        return { ...cleared, gc: await store.collect() };
      });
      const freed = removed.mountBytes + removed.gc.bytesFreed;
      process.stdout.write(`removed ${removed.entries} build cache entries, ${removed.mounts} cache mounts and ${removed.gc.layersRemoved.length} layers only the cache used; reclaimed ${formatBytes(freed)}\n`);
      return 0;
    }
    const options = parsed.options;
    if (parsed.dockerfileFromStdin) options.dockerfileText = await readStdin();
    const mode = parsed.progress === 'auto' ? (process.stderr.isTTY ? 'tty' : 'plain') : parsed.progress;
    let onEvent: (event: BuildEvent) => void;
    let stop = () => undefined as void;
    if (mode === 'json') onEvent = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
    else if (mode === 'tty') {
      const tty = ttyProgress((text) => process.stderr.write(text));
      onEvent = (event) => tty.onEvent(event);
      stop = () => tty.stop();
    } else onEvent = plainProgress((text) => process.stderr.write(text));
    const abort = new AbortController();
    const interrupt = () => abort.abort();
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    try {
      const result = await buildImage(store, { ...options, onEvent, signal: abort.signal });
      if (mode !== 'json') process.stdout.write(`${result.imageId}\n`);
      return 0;
    } catch (err) {
      stop();
      if (err instanceof BuildCancelledError) throw new CliError('build cancelled', 130);
      if (err instanceof BuildError) {
        const file = options.dockerfile ?? path.join(options.contextDir, 'Dockerfile');
        if (mode === 'json') return 1; // the build-failed event says why
        throw new CliError(`${lineOf(err, parsed.dockerfileFromStdin ? 'Dockerfile' : path.relative(process.cwd(), file) || file)}: ${err.message}`, 1);
      }
      throw err;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  },
};
