// What one shell command does to the filesystem, as far as a size model can say.
import { cleanGoPath } from './goPath';
import { printfOutput } from './printfOutput';
import type { PackageManager } from './sizeReaders';
import type { ExpandedCommand } from './expandShellCommands';

export type CacheKind = 'apt-lists' | 'apt-archives' | 'apk-cache' | 'pip-cache' | 'npm-cache' | 'yarn-cache' | 'go-cache' | 'cargo-registry' | 'gem-cache';

export type CommandEffect =
  | { kind: 'none' }
  | { kind: 'install'; manager: PackageManager; packages: string[]; installRecommends?: boolean; noCache: boolean; command: string }
  | { kind: 'index-update'; manager: 'apt' | 'apk' }
  | { kind: 'clean'; caches: CacheKind[] }
  | { kind: 'download'; url: string; output?: string; piped: boolean; command: string }
  | { kind: 'remove'; paths: string[] }
  | { kind: 'write'; path: string; bytes?: number; append: boolean }
  | { kind: 'mkdir'; paths: string[] }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'copy'; from: string[]; to: string; move: boolean }
  | { kind: 'metadata'; paths: string[]; recursive: boolean; command: string }
  | { kind: 'accounts'; command: string }
  | { kind: 'unknown'; reason: string };

/** Directories each cache lives in (relative to `/`, `~` is /root for root builds). */
export const CACHE_PATHS: Record<CacheKind, string[]> = {
  'apt-lists': ['/var/lib/apt/lists'],
  'apt-archives': ['/var/cache/apt/archives', '/var/cache/apt/pkgcache.bin', '/var/cache/apt/srcpkgcache.bin'],
  'apk-cache': ['/var/cache/apk', '/etc/apk/cache'],
  'pip-cache': ['/root/.cache/pip'],
  'npm-cache': ['/root/.npm'],
  'yarn-cache': ['/usr/local/share/.cache/yarn', '/root/.cache/yarn'],
  'go-cache': ['/root/.cache/go-build', '/go/pkg/mod'],
  'cargo-registry': ['/root/.cargo/registry', '/usr/local/cargo/registry'],
  'gem-cache': ['/usr/local/bundle/cache', '/var/lib/gems'],
};

/** Commands that do not change the filesystem (their output aside). */
const NO_WRITE = new Set([
  'true', 'false', ':', 'echo', 'printf', 'set', 'cd', 'export', 'test', '[', 'ls', 'cat', 'which', 'command', 'type', 'id', 'whoami', 'uname',
  'sleep', 'date', 'exit', 'pwd', 'env', 'printenv', 'grep', 'head', 'tail', 'wc', 'sort', 'uniq', 'sed', 'awk', 'cut', 'tr', 'stat', 'file',
  'readlink', 'realpath', 'dirname', 'basename', 'sha256sum', 'md5sum', 'sha1sum', 'sha512sum', 'gpg', 'gpgv',
  'unset', 'shift', 'return', 'local', 'read', 'hash', 'umask', 'ulimit', 'trap', 'wait', 'source', '.', 'dpkg-query', 'apt-cache', 'du', 'df',
]);

/** Version checks and other read-only uses of tools that otherwise write. */
function readOnlyUse(argv: string[]): boolean {
  return argv.length === 2 && /^(--version|-v|-V|version|--help|-h)$/.test(argv[1]);
}

const PREFIXES = new Set(['sudo', 'exec', 'time', 'nice', 'nohup', 'command', 'env', 'xargs']);

function absolute(path: string, workdir: string): string {
  return path.startsWith('/') ? cleanGoPath(path) : cleanGoPath(`${workdir || '/'}/${path}`);
}

function positional(args: string[], withValue: Set<string> = new Set()): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      if (withValue.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function apt(args: string[], command: string): CommandEffect[] {
  let installRecommends: boolean | undefined;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--no-install-recommends') installRecommends = false;
    else if (a === '--install-recommends') installRecommends = true;
    else if (a === '-o' || a === '-t' || a === '-c' || a === '--target-release' || a === '--option') {
      const value = args[++i] ?? '';
      const m = /^APT::Install-Recommends=(.*)$/i.exec(value);
      if (m) installRecommends = /^(1|true|yes)$/i.test(m[1]);
    } else if (a.startsWith('-o') && /APT::Install-Recommends=/i.test(a)) installRecommends = /=(1|true|yes)$/i.test(a);
    else if (!a.startsWith('-')) words.push(a);
  }
  const [sub, ...rest] = words;
  switch (sub) {
    case 'update':
      return [{ kind: 'index-update', manager: 'apt' }];
    case 'install': {
      const local = rest.filter((p) => p.includes('/') && (p.startsWith('.') || p.startsWith('/') || p.endsWith('.deb')));
      if (local.length > 0) return [{ kind: 'unknown', reason: `\`${command}\` installs local .deb files` }];
      return [{ kind: 'install', manager: 'apt', packages: rest, installRecommends, noCache: false, command }];
    }
    case 'clean':
    case 'autoclean':
      return [{ kind: 'clean', caches: ['apt-archives'] }];
    case 'upgrade':
    case 'dist-upgrade':
    case 'full-upgrade':
      return [{ kind: 'unknown', reason: `\`${command}\` depends on updates newer than the base image` }];
    case 'remove':
    case 'purge':
    case 'autoremove':
      return [{ kind: 'unknown', reason: `\`${command}\` removes files of the base image the model does not list` }];
    case undefined:
      return [{ kind: 'none' }];
    default:
      return [{ kind: 'unknown', reason: `\`${command}\` is not modelled` }];
  }
}

function apk(args: string[], command: string): CommandEffect[] {
  const withValue = new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root', '--arch']);
  const words = positional(args, withValue);
  const noCache = args.includes('--no-cache');
  const [sub, ...rest] = words;
  if (sub === 'add') return [{ kind: 'install', manager: 'apk', packages: rest, noCache, command }];
  if (sub === 'update') return [{ kind: 'index-update', manager: 'apk' }];
  if (sub === 'cache' && rest[0] === 'clean') return [{ kind: 'clean', caches: ['apk-cache'] }];
  if (sub === 'del') return [{ kind: 'unknown', reason: `\`${command}\` removes packages the model does not list` }];
  return [{ kind: 'unknown', reason: `\`${command}\` is not modelled` }];
}

function pip(args: string[], command: string, env: Record<string, string>): CommandEffect[] {
  const words = positional(args, new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '-f', '--find-links']));
  if (words[0] !== 'install') return [{ kind: readOnlyUse(['pip', ...args]) || words[0] === 'list' || words[0] === 'show' || words[0] === 'freeze' ? 'none' : 'unknown', reason: `\`${command}\` is not modelled` } as CommandEffect];
  const noCache = args.includes('--no-cache-dir') || (env.PIP_NO_CACHE_DIR ?? '') !== '';
  return [{ kind: 'install', manager: 'pip', packages: words.slice(1), noCache, command }];
}

/** Debian's /etc/skel (bash 5.2): what `useradd -m` copies into the new home directory. */
const SKEL_FILES: [string, number][] = [['.bashrc', 3526], ['.profile', 807], ['.bash_logout', 220]];

/** `useradd -m` / `--create-home`: the home directory (`-d DIR` or /home/<login>) with the skeleton files. */
function homeFromSkel(args: string[]): CommandEffect[] {
  const valued = new Set(['-c', '--comment', '-d', '--home-dir', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid', '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-s', '--shell', '-u', '--uid', '-Z', '--selinux-user', '-b', '--base-dir']);
  if (!args.some((a) => a === '--create-home' || /^-[a-zA-Z]*m[a-zA-Z]*$/.test(a)) || args.some((a) => a === '-k' || a === '--skel' || a.startsWith('--skel='))) return [];
  const login = positional(args, valued).pop();
  if (!login) return [];
  const d = args.findIndex((a) => a === '-d' || a === '--home-dir');
  const base = args.findIndex((a) => a === '-b' || a === '--base-dir');
  const home = d >= 0 && args[d + 1] ? args[d + 1] : `${base >= 0 && args[base + 1] ? args[base + 1] : '/home'}/${login}`;
  if (!home.startsWith('/')) return [];
  return SKEL_FILES.map(([name, bytes]): CommandEffect => ({ kind: 'write', path: `${home}/${name}`, bytes, append: false }));
}

/** The debug log `npm cache clean --force` writes (npm 9, measured). */
const NPM_CACHE_CLEAN_LOG_BYTES = 1700;

/** npm options that take a separate value (`--omit dev`). */
const NPM_VALUE_OPTIONS = new Set(['--omit', '--include', '--only', '--prefix', '-C', '--workspace', '-w', '--registry', '--cache', '--loglevel', '--install-strategy', '--userconfig', '--tag']);

function npmLike(tool: string, args: string[], command: string): CommandEffect[] {
  const words = positional(args, tool === 'npm' ? NPM_VALUE_OPTIONS : undefined);
  const sub = words[0] ?? (tool === 'yarn' ? 'install' : '');
  if (tool === 'npm' && sub === 'cache' && words[1] === 'clean') {
    // The cache goes; npm's own debug log of the command and its update-notifier stamp stay (npm 9: ~1.7 kB).
    return [
      { kind: 'clean', caches: ['npm-cache'] },
      { kind: 'write', path: '/root/.npm/_logs/npm-cache-debug-0.log', bytes: NPM_CACHE_CLEAN_LOG_BYTES, append: false },
      { kind: 'write', path: '/root/.npm/_update-notifier-last-checked', bytes: 0, append: false },
    ];
  }
  if (tool === 'yarn' && sub === 'cache' && words[1] === 'clean') return [{ kind: 'clean', caches: ['yarn-cache'] }];
  if (['install', 'i', 'ci', 'add'].includes(sub)) return [{ kind: 'install', manager: 'npm', packages: words.slice(1), noCache: false, command }];
  if (['run', 'test', 'exec', 'build'].includes(sub)) return [{ kind: 'unknown', reason: `\`${command}\` runs project scripts` }];
  return [{ kind: 'unknown', reason: `\`${command}\` is not modelled` }];
}

function download(tool: 'curl' | 'wget', args: string[], cmd: ExpandedCommand, workdir: string, command: string): CommandEffect[] {
  let output: string | undefined;
  let remoteName = false;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (tool === 'curl' && (a === '-o' || a === '--output')) output = args[++i];
    else if (tool === 'curl' && (a === '-O' || a === '--remote-name')) remoteName = true;
    else if (tool === 'curl' && /^-[a-zA-Z]*o$/.test(a)) output = args[++i];
    else if (tool === 'curl' && /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a)) remoteName = true;
    else if (tool === 'wget' && (a === '-O' || a === '--output-document')) output = args[++i];
    else if (tool === 'wget' && a.startsWith('--output-document=')) output = a.slice(18);
    else if (tool === 'wget' && /^-[a-zA-Z]*O$/.test(a)) output = args[++i];
    else if (tool === 'wget' && (a === '-P' || a === '--directory-prefix')) i++;
    else if (/^(-H|--header|-u|--user|-A|--user-agent|-d|--data|-X|--request|-w|--write-out|--retry|--connect-timeout|-m|--max-time|-e|-T|--timeout|--tries|-t)$/.test(a)) i++;
    else if (/^https?:\/\/|^ftp:\/\//.test(a)) urls.push(a);
  }
  if (urls.length !== 1) return [{ kind: 'unknown', reason: `\`${command}\`: cannot tell what it downloads` }];
  const url = urls[0];
  const redirect = cmd.redirects.find((r) => r.op === '>' || r.op === '>>');
  const toStdout = output === '-' || (tool === 'curl' && output === undefined && !remoteName);
  if (toStdout && redirect) return [{ kind: 'download', url, output: absolute(redirect.target, workdir), piped: false, command }];
  if (toStdout) return [{ kind: 'download', url, piped: cmd.pipedTo, command }];
  const name = output ?? decodeURIComponent(new URL(url).pathname.split('/').pop() || 'index.html');
  return [{ kind: 'download', url, output: absolute(name, workdir), piped: false, command }];
}

/** The command's words without the wrappers that run it (`sudo`, `env X=1`, `nice -n 5`, ...). */
export function withoutPrefixes(words: string[]): string[] {
  let argv = words;
  while (argv.length > 0 && PREFIXES.has(argv[0])) {
    argv = argv.slice(1);
    while (argv.length > 0 && (argv[0].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]))) argv = argv.slice(1);
  }
  return argv;
}

/** What a command writes to standard output, when its words or input say: `echo x`, `printf`, `cat` or `tee` of a known input. */
export function standardOutputOf(cmd: ExpandedCommand): string | undefined {
  if (cmd.uncertain.length > 0) return undefined;
  const argv = withoutPrefixes(cmd.argv);
  // A backslash in echo's words: dash (Debian's sh) reads escapes where bash and busybox print them.
  if (argv[0] === 'echo') return argv.some((a) => a.includes('\\')) ? undefined : argv.slice(1).filter((a) => a !== '-n').join(' ') + (argv[1] === '-n' ? '' : '\n');
  if (argv[0] === 'printf') {
    const [format, ...args] = argv[1] === '--' ? argv.slice(2) : argv.slice(1);
    return format === undefined || format.startsWith('-') ? undefined : printfOutput(format, args);
  }
  if (cmd.input !== undefined && (argv[0] === 'cat' || argv[0] === 'tee') && argv.slice(1).every((a) => a === '-' || (argv[0] === 'tee' && !a.startsWith('-')))) return cmd.input;
  return undefined;
}

/** Classifies one simple command; `workdir` resolves relative paths. */
export function classifyCommand(cmd: ExpandedCommand, workdir: string, env: Record<string, string>): CommandEffect[] {
  const argv = withoutPrefixes(cmd.argv);
  const command = argv.join(' ');
  const effects: CommandEffect[] = [];
  const stdout = standardOutputOf(cmd);
  const output = stdout === undefined ? undefined : Buffer.byteLength(stdout);
  for (const r of cmd.redirects) {
    if ((r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>' || r.op === '&>>') && r.target !== '/dev/null' && !r.target.startsWith('/dev/') && r.fd !== 2) {
      effects.push({ kind: 'write', path: absolute(r.target, workdir), bytes: output, append: r.op.endsWith('>>') });
    }
  }
  if (argv.length === 0) return effects.length > 0 ? effects : [{ kind: 'none' }];
  const tool = argv[0].replace(/^.*\//, '');
  const args = argv.slice(1);
  if (argv.length > 2 && /^python[0-9.]*$/.test(tool) && args[0] === '-m' && args[1] === 'pip') return [...effects, ...pip(args.slice(2), command, env)];
  switch (tool) {
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return [...effects, ...apt(args, command)];
    case 'apk':
      return [...effects, ...apk(args, command)];
    case 'dnf':
    case 'yum':
    case 'microdnf':
    case 'tdnf': {
      const sub = positional(args)[0];
      if (sub === 'clean') return [...effects, { kind: 'none' }];
      if (sub === 'install') return [...effects, { kind: 'install', manager: 'dnf', packages: positional(args).slice(1), noCache: false, command }];
      return [...effects, { kind: 'unknown', reason: `\`${command}\` is not modelled` }];
    }
    case 'pip':
    case 'pip3':
      return [...effects, ...pip(args, command, env)];
    case 'npm':
    case 'yarn':
    case 'pnpm':
      if (readOnlyUse(argv)) return [...effects, { kind: 'none' }];
      return [...effects, ...npmLike(tool, args, command)];
    case 'gem':
      return [...effects, args[0] === 'install' ? { kind: 'install', manager: 'gem', packages: positional(args).slice(1), noCache: false, command } : { kind: 'unknown', reason: `\`${command}\` is not modelled` }];
    case 'cargo':
      return [...effects, args[0] === 'install' ? { kind: 'install', manager: 'cargo', packages: positional(args).slice(1), noCache: false, command } : { kind: 'unknown', reason: `\`${command}\` builds code` }];
    case 'curl':
    case 'wget':
      if (readOnlyUse(argv)) return [...effects, { kind: 'none' }];
      return [...effects, ...download(tool, args, cmd, workdir, command)];
    case 'rm': {
      const paths = positional(args).map((p) => absolute(p, workdir));
      return [...effects, { kind: 'remove', paths }];
    }
    case 'mkdir':
      return [...effects, { kind: 'mkdir', paths: positional(args, new Set(['-m', '--mode'])).map((p) => absolute(p, workdir)) }];
    case 'ln': {
      const [target, link] = positional(args, new Set(['-t', '--target-directory']));
      if (!args.some((a) => /^-[a-zA-Z]*s/.test(a) || a === '--symbolic') || link === undefined) return [...effects, { kind: 'unknown', reason: `\`${command}\` is not modelled` }];
      return [...effects, { kind: 'symlink', path: absolute(link, workdir), target }];
    }
    case 'cp':
    case 'mv': {
      const paths = positional(args, new Set(['-t', '--target-directory', '-S', '--suffix']));
      if (paths.length < 2) return [...effects, { kind: 'unknown', reason: `\`${command}\` is not modelled` }];
      const to = paths.pop() as string;
      return [...effects, { kind: 'copy', from: paths.map((p) => absolute(p, workdir)), to: absolute(to, workdir), move: tool === 'mv' }];
    }
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const recursive = args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === '--recursive');
      const paths = positional(args, new Set(['--reference'])).slice(1).map((p) => absolute(p, workdir));
      return [...effects, { kind: 'metadata', paths, recursive, command }];
    }
    case 'sed':
      if (!args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'))) return [...effects, { kind: 'none' }];
      return [...effects, { kind: 'metadata', paths: positional(args, new Set(['-e', '--expression', '-f', '--file'])).slice(args.some((a) => a === '-e' || a.startsWith('--expression')) ? 0 : 1).map((p) => absolute(p, workdir)), recursive: false, command }];
    case 'find':
      if (args.some((a) => a === '-delete' || a === '-exec' || a === '-execdir')) return [...effects, { kind: 'unknown', reason: `\`${command}\` changes files the model cannot list` }];
      return [...effects, { kind: 'none' }];
    case 'tee': {
      const bytes = cmd.input !== undefined && !cmd.uncertain.length ? Buffer.byteLength(cmd.input) : undefined;
      const append = args.some((a) => /^-[a-zA-Z]*a/.test(a) || a === '--append');
      return [...effects, ...positional(args).map((p): CommandEffect => ({ kind: 'write', path: absolute(p, workdir), bytes, append }))];
    }
    case 'touch':
      return [...effects, ...positional(args, new Set(['-d', '-t', '-r'])).map((p): CommandEffect => ({ kind: 'write', path: absolute(p, workdir), bytes: 0, append: true }))];
    case 'useradd':
      return [...effects, { kind: 'accounts', command }, ...homeFromSkel(args)];
    case 'adduser':
    case 'groupadd':
    case 'addgroup':
    case 'usermod':
    case 'groupmod':
      return [...effects, { kind: 'accounts', command }];
    default:
      if (NO_WRITE.has(tool) || readOnlyUse(argv)) return [...effects, { kind: 'none' }];
      return [...effects, { kind: 'unknown', reason: `\`${command.length > 60 ? command.slice(0, 57) + '...' : command}\` writes files the model cannot predict` }];
  }
}
