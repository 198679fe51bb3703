// What Node's fs cannot do: device nodes and fifos (mknod/mkfifo from coreutils) and extended
// attributes (setfattr/getfattr from the `attr` package). Each call batches many paths into one
// process, since layers may carry thousands of whiteouts.
import { execFile, spawn } from 'child_process';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

export interface NodeSpec {
  path: string;
  kind: 'c' | 'b' | 'p';
  major?: number;
  minor?: number;
}

export interface XattrSpec {
  path: string;
  name: string;
  value: Buffer;
}

const ARGS_PER_CALL = 500;

/** Creates character/block devices and fifos (a 0:0 character device is an overlay whiteout). */
export async function makeNodes(nodes: readonly NodeSpec[]): Promise<void> {
  // One shell per batch; paths travel as arguments, never through the shell's parser.
  const script = 'while [ $# -gt 0 ]; do if [ "$2" = p ]; then mkfifo -- "$1" || exit 1; else mknod -- "$1" "$2" "$3" "$4" || exit 1; fi; shift 4; done';
  for (let i = 0; i < nodes.length; i += ARGS_PER_CALL) {
    const args = nodes.slice(i, i + ARGS_PER_CALL).flatMap((n) => [n.path, n.kind, String(n.major ?? 0), String(n.minor ?? 0)]);
    try {
      await execFileAsync('sh', ['-c', script, 'sh', ...args]);
    } catch (err) {
      throw new Error(`cannot create device nodes or fifos: ${((err as { stderr?: string }).stderr || (err as Error).message).trim()}`);
    }
  }
}

function escapeDumpPath(p: string): string {
  let out = '';
  for (const byte of Buffer.from(p, 'utf8')) {
    out += byte > 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** Sets extended attributes without following symlinks, through one `setfattr --restore`. */
export async function setXattrs(attrs: readonly XattrSpec[]): Promise<void> {
  if (attrs.length === 0) return;
  const dump = attrs.map((a) => `# file: ${escapeDumpPath(a.path)}\n${a.name}=0x${a.value.toString('hex')}\n`).join('\n');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('setfattr', ['-h', '--restore=-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err) => reject(new Error(`cannot set extended attributes: ${err.message} (install the 'attr' package for setfattr)`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`setfattr failed: ${stderr.trim()}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(dump);
  });
}

/** Reads one extended attribute; undefined when it is not set. */
export async function getXattr(p: string, name: string): Promise<Buffer | undefined> {
  try {
    const { stdout } = await execFileAsync('getfattr', ['-h', '--only-values', '-e', 'hex', '-n', name, '--', p], { encoding: 'buffer' });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error(`cannot read extended attributes: getfattr is missing (install the 'attr' package)`);
    return undefined;
  }
}

/** Paths (below `dir`) whose directory carries `name` = `value`, found with one `getfattr -R`. */
export async function findXattr(dir: string, name: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('getfattr', ['-R', '-P', '--absolute-names', '-e', 'hex', '-n', name, '--', dir], { maxBuffer: 1 << 28 }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string };
    if (e.code === 'ENOENT') throw new Error(`cannot read extended attributes: getfattr is missing (install the 'attr' package)`);
    stdout = e.stdout ?? '';
  }
  let current: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# file: ')) current = unescapeDumpPath(line.slice(8));
    else if (current && line.startsWith(`${name}=0x`)) found.set(current, Buffer.from(line.slice(name.length + 3), 'hex'));
  }
  return found;
}

/** getfattr escapes bytes outside printable ASCII (and backslash) in paths as `\ooo`. */
export function unescapeDumpPath(p: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\' && /^[0-7]{3}$/.test(p.slice(i + 1, i + 4))) {
      bytes.push(parseInt(p.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(p[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
