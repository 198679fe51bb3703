// Run Image's options: the settings give defaults (network, limits); a request or the multi-step
// input can add environment variables, volumes, a working directory and override network and memory.
import * as vscode from 'vscode';

export interface RunRequest {
  image: string;
  command?: string[];
  name?: string;
  /** `KEY=VALUE` entries (`-e`). */
  env?: string[];
  /** `host:container[:ro]` bind mounts (`-v`). */
  volumes?: string[];
  workdir?: string;
  /** `none` or `host`; default from `layerlens.run.network`. */
  network?: string;
  /** e.g. `256m`; default from `layerlens.run.memory`. */
  memory?: string;
}

/** The `run` flags for a request: its own options, else the settings' defaults (network, limits). */
export function runFlagsOf(request: Omit<RunRequest, 'image'>, settings = vscode.workspace.getConfiguration('layerlens.run')): string[] {
  const flags = ['--network', request.network || settings.get<string>('network', 'none')];
  const memory = request.memory ?? settings.get<string>('memory', '');
  const cpus = settings.get<number>('cpus', 0);
  const pids = settings.get<number>('pidsLimit', 0);
  if (memory) flags.push('--memory', memory);
  if (cpus > 0) flags.push('--cpus', String(cpus));
  if (pids > 0) flags.push('--pids-limit', String(pids));
  for (const entry of request.env ?? []) flags.push('-e', entry);
  for (const volume of request.volumes ?? []) flags.push('-v', volume);
  if (request.workdir) flags.push('-w', request.workdir);
  if (request.name) flags.push('--name', request.name);
  return flags;
}

/** Splits `A=1, B=2` or `A=1 B=2` into entries (so a value cannot hold a comma or a space here). */
export function parseList(text: string): string[] {
  return text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
}

const ENV_ENTRY = /^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/;
const VOLUME = /^[^:]+:\/[^:]*(:(ro|rw))?$/;

export function envProblem(text: string): string | undefined {
  const bad = parseList(text).find((e) => !ENV_ENTRY.test(e));
  return bad ? `"${bad}" is not KEY=VALUE` : undefined;
}

export function volumeProblem(text: string): string | undefined {
  const bad = parseList(text).find((v) => !VOLUME.test(v));
  return bad ? `"${bad}" is not host:/container[:ro]` : undefined;
}

/** Asks step by step; every step can be left empty (Enter) to skip it. Undefined when cancelled. */
export async function askRunOptions(image: string): Promise<RunRequest | undefined> {
  const settings = vscode.workspace.getConfiguration('layerlens.run');
  const total = 7;
  const ask = (step: number, prompt: string, placeHolder: string, validate?: (v: string) => string | undefined, value?: string) =>
    vscode.window.showInputBox({
      title: `Run ${image} (${step}/${total})`, prompt: `${prompt} — Enter to skip`, placeHolder, value, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() && validate ? validate(v) : undefined),
    });
  const command = await ask(1, 'Command', 'the image default, e.g. sh -c "echo hello"');
  if (command === undefined) return undefined;
  const name = await ask(2, 'Container name', 'generated');
  if (name === undefined) return undefined;
  const env = await ask(3, 'Environment variables', 'KEY=VALUE, OTHER=2', envProblem);
  if (env === undefined) return undefined;
  const volumes = await ask(4, 'Volumes', '/host/dir:/container/dir[:ro], ...', volumeProblem);
  if (volumes === undefined) return undefined;
  const workdir = await ask(5, 'Working directory', 'the image default, e.g. /app', (v) => (v.trim().startsWith('/') ? undefined : 'an absolute path'));
  if (workdir === undefined) return undefined;
  const defaultNetwork = settings.get<string>('network', 'none');
  const network = await vscode.window.showQuickPick(
    [{ label: 'none', description: 'no network (loopback only)' }, { label: 'host', description: "the host's network" }]
      .map((p) => ({ ...p, picked: p.label === defaultNetwork, detail: p.label === defaultNetwork ? 'default from settings' : undefined })),
    { title: `Run ${image} (6/${total})`, placeHolder: `Network (default ${defaultNetwork})`, ignoreFocusOut: true },
  );
  if (network === undefined) return undefined;
  const memory = await ask(7, 'Memory limit', 'e.g. 256m', (v) => (/^\d+(\.\d+)?[bkmg]?$/i.test(v.trim()) ? undefined : 'a size such as 256m or 1g'), settings.get<string>('memory', ''));
  if (memory === undefined) return undefined;
  return {
    image,
    command: command.trim() ? splitCommand(command) : undefined,
    name: name.trim() || undefined,
    env: parseList(env), volumes: parseList(volumes),
    workdir: workdir.trim() || undefined, network: network.label, memory: memory.trim(),
  };
}

/** Splits a command line on spaces, honouring single and double quotes. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(pattern)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return words;
}
