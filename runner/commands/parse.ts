// `layerlens parse [--format buildkit|json] FILE`: parse a Dockerfile as BuildKit does.
// `buildkit` prints BuildKit's parser-test s-expressions; `json` prints the syntax tree.
import { readFile } from 'fs/promises';
import type { Command } from './command';
import { CliError } from './cliError';
import { dumpBuildkit, formatProblem, parseDockerfile } from '../../server/parser';

function parseArgs(args: string[]): { format: 'buildkit' | 'json'; file: string } {
  let format = 'buildkit';
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option '${a}' (expected --format buildkit|json)`, 2);
    else if (file === undefined) file = a;
    else throw new CliError(`unexpected argument '${a}': give one Dockerfile`, 2);
  }
  if (format !== 'buildkit' && format !== 'json') throw new CliError(`--format must be 'buildkit' or 'json', not '${format}'`, 2);
  if (file === undefined) throw new CliError('usage: layerlens parse [--format buildkit|json] FILE', 2);
  return { format, file };
}

async function readInput(file: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const parseCommand: Command = {
  summary: 'parse a Dockerfile as BuildKit does (--format buildkit|json)',
  async run(args) {
    const { format, file } = parseArgs(args);
    const syntax = parseDockerfile(await readInput(file));
    const errors = syntax.problems.filter((p) => p.severity === 'error');
    for (const p of syntax.problems) process.stderr.write(formatProblem(file, p) + '\n');
    if (format === 'json') {
      process.stdout.write(JSON.stringify(syntax, null, 2) + '\n');
    } else if (errors.length === 0) {
      process.stdout.write(dumpBuildkit(syntax));
    }
    return errors.length > 0 ? 1 : 0;
  },
};
