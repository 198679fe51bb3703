// Runs the bundled `layerlens` CLI (dist/cli.js) in a child Node process, for the views and commands.
import { spawn } from 'child_process';
import * as vscode from 'vscode';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  onLine?: (line: string) => void;
  token?: vscode.CancellationToken;
  cwd?: string;
}

export class LayerlensCli {
  constructor(private readonly cliPath: string) {}

  run(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
    const storeSetting = vscode.workspace.getConfiguration('layerlens').get<string>('store.path');
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...(storeSetting ? { LAYERLENS_STORE: storeSetting } : {}) };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.cliPath, ...args], { cwd: options.cwd, env });
      let stdout = '';
      let stderr = '';
      let partial = '';
      const emit = (chunk: string) => {
        if (!options.onLine) return;
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(options.onLine);
      };
      child.stdout.on('data', (d: Buffer) => { stdout += d; emit(d.toString()); });
      child.stderr.on('data', (d: Buffer) => { stderr += d; emit(d.toString()); });
      const cancel = options.token?.onCancellationRequested(() => child.kill('SIGINT'));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        cancel?.dispose();
        if (partial && options.onLine) options.onLine(partial);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
  }

  /** Runs a listing command with --json and parses its output; throws with the CLI's message on failure. */
  async list<T>(args: string[]): Promise<T[]> {
    const result = await this.run([...args, '--json']);
    if (result.code !== 0) throw new Error(result.stderr.trim() || `layerlens ${args.join(' ')} exited with ${result.code}`);
    const parsed: unknown = JSON.parse(result.stdout || '[]');
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  }
}
