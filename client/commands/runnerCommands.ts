// Palette commands that drive the runner through the CLI, with progress and an output channel.
import * as vscode from 'vscode';
import type { LayerlensCli } from '../cli';

export interface RunnerCommandContext {
  cli: LayerlensCli;
  output: vscode.OutputChannel;
  refreshViews: () => Promise<void>;
}

/** Runs `layerlens ARGS` under a cancellable progress notification, streaming output to the channel. */
export async function runWithProgress(ctx: RunnerCommandContext, title: string, args: string[], cwd?: string): Promise<boolean> {
  ctx.output.appendLine(`$ layerlens ${args.join(' ')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => ctx.cli.run(args, {
      token, cwd,
      onLine: (line) => { ctx.output.appendLine(line); if (line.trim()) progress.report({ message: line.trim().slice(0, 80) }); },
    }),
  );
  await ctx.refreshViews();
  if (result.code === 0) return true;
  ctx.output.show(true);
  const reason = result.stderr.trim().split('\n').pop() ?? `exit code ${result.code}`;
  void vscode.window.showErrorMessage(`${title} failed: ${reason}`);
  return false;
}

async function askFor(prompt: string, placeHolder: string, value?: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({ prompt, placeHolder, value, ignoreFocusOut: true });
  return answer?.trim() || undefined;
}

/** Uses the argument a view passes (a row id) or asks the user. */
function targetOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string') return arg.id;
  return undefined;
}

export function registerRunnerCommands(ctx: RunnerCommandContext): vscode.Disposable[] {
  const reg = (id: string, fn: (arg?: unknown) => Promise<unknown>) => vscode.commands.registerCommand(id, fn);
  return [
    reg('layerlens.pullImage', async (arg) => {
      const ref = targetOf(arg) ?? await askFor('Image to pull', 'docker.io/library/busybox:latest');
      if (ref) await runWithProgress(ctx, `Pulling ${ref}`, ['pull', ref]);
    }),
    reg('layerlens.pushImage', async (arg) => {
      const ref = targetOf(arg) ?? await askFor('Image to push', 'registry.example.com/team/app:1.0');
      if (ref) await runWithProgress(ctx, `Pushing ${ref}`, ['push', ref]);
    }),
    reg('layerlens.removeImage', async (arg) => {
      const ref = targetOf(arg) ?? await askFor('Image to remove', 'app:latest');
      if (ref) await runWithProgress(ctx, `Removing ${ref}`, ['rmi', ref]);
    }),
    reg('layerlens.stopContainer', async (arg) => {
      const id = targetOf(arg) ?? await askFor('Container to stop', 'name or id');
      if (id) await runWithProgress(ctx, `Stopping ${id}`, ['stop', id]);
    }),
    reg('layerlens.removeContainer', async (arg) => {
      const id = targetOf(arg) ?? await askFor('Container to remove', 'name or id');
      if (id) await runWithProgress(ctx, `Removing ${id}`, ['rm', '-f', id]);
    }),
    reg('layerlens.prune', async () => {
      const ok = await vscode.window.showWarningMessage('Remove stopped containers and unused images and layers?', { modal: true }, 'Prune');
      if (ok) await runWithProgress(ctx, 'Pruning the image store', ['prune']);
    }),
    reg('layerlens.runImage', async (arg) => {
      const ref = targetOf(arg) ?? await askFor('Image to run', 'app:latest');
      if (ref) await runWithProgress(ctx, `Running ${ref}`, ['run', '-d', ref]);
    }),
    reg('layerlens.showLogs', async (arg) => {
      const id = targetOf(arg) ?? await askFor('Container', 'name or id');
      if (!id) return;
      const result = await ctx.cli.run(['logs', id]);
      ctx.output.appendLine(`--- logs of ${id} ---`);
      ctx.output.append(result.stdout + result.stderr);
      ctx.output.show(true);
    }),
    reg('layerlens.buildImage', async (arg) => {
      const file = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!file) { void vscode.window.showErrorMessage('Open a Dockerfile to build it.'); return; }
      const tag = await askFor('Tag for the image', 'app:latest');
      if (!tag) return;
      const context = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? vscode.Uri.joinPath(file, '..').fsPath;
      await runWithProgress(ctx, `Building ${tag}`, ['build', '-f', file.fsPath, '-t', tag, context], context);
    }),
  ];
}
