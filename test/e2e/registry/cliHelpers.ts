// Runs the real `layerlens` CLI (the compiled runner/cli.js) against a private store.
import { execFile } from 'child_process';
import * as path from 'path';

export const CLI = path.resolve(__dirname, '../../../runner/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function layerlens(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI and fails with its output when it does not exit 0. */
export async function layerlensOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await layerlens(args, env);
  if (r.code !== 0) throw new Error(`layerlens ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
