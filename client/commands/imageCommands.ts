// Image commands: pull, push, tag, remove, inspect, copy id, run, prune.
import * as vscode from 'vscode';
import { askFor, runWithProgress, showJson, targetOf, type CommandContext } from './commandContext';
import { askRunOptions, runFlagsOf, type RunRequest } from './runOptions';

export type { RunRequest };

/** Starts a detached container; resolves with its id, or undefined when it could not start. */
export async function runImage(ctx: CommandContext, request: RunRequest): Promise<string | undefined> {
  const args = ['run', '-d', ...runFlagsOf(request)];
  args.push(request.image, ...(request.command ?? []));
  const { ok, stdout } = await runWithProgress(ctx, `Running ${request.image}`, args);
  return ok ? stdout.trim().split('\n').pop() : undefined;
}

function isRunRequest(arg: unknown): arg is RunRequest {
  return typeof arg === 'object' && arg !== null && 'image' in arg && typeof arg.image === 'string';
}

export function registerImageCommands(ctx: CommandContext): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    reg('layerlens.pullImage', async (arg?: unknown) => {
      const ref = targetOf(arg) ?? await askFor('Image to pull', 'registry.example.com/team/app:1.0');
      if (ref) return (await runWithProgress(ctx, `Pulling ${ref}`, ['pull', ref])).ok;
      return false;
    }),
    reg('layerlens.pushImage', async (arg?: unknown) => {
      const ref = targetOf(arg) ?? await askFor('Image to push', 'registry.example.com/team/app:1.0');
      if (!ref) return false;
      const dest = await askFor(`Push ${ref} to (empty: its own name)`, 'registry.example.com/team/app:1.0');
      return (await runWithProgress(ctx, `Pushing ${ref}`, ['push', ref, ...(dest ? [dest] : [])])).ok;
    }),
    reg('layerlens.tagImage', async (arg?: unknown) => {
      const ref = targetOf(arg) ?? await askFor('Image to tag', 'app:latest');
      const tag = ref && await askFor(`New name for ${ref}`, 'app:1.0');
      if (ref && tag) return (await runWithProgress(ctx, `Tagging ${ref}`, ['tag', ref, tag])).ok;
      return false;
    }),
    reg('layerlens.removeImage', async (arg?: unknown) => {
      const ref = targetOf(arg) ?? await askFor('Image to remove', 'app:latest');
      if (ref) return (await runWithProgress(ctx, `Removing ${ref}`, ['rmi', ref])).ok;
      return false;
    }),
    reg('layerlens.inspectImage', async (arg?: unknown) => {
      const ref = targetOf(arg) ?? await askFor('Image to inspect', 'app:latest');
      if (!ref) return;
      const result = await ctx.cli.run(['inspect', ref]);
      if (result.code === 0) await showJson(result.stdout);
      else void vscode.window.showErrorMessage(result.stderr.trim());
    }),
    reg('layerlens.copyImageId', async (arg?: unknown) => {
      const ref = targetOf(arg);
      if (!ref) return;
      const result = await ctx.cli.run(['images', '--json']);
      const rows = JSON.parse(result.stdout || '[]') as { id: string; name: string | null }[];
      const id = rows.find((r) => r.name === ref || r.id === ref)?.id ?? ref;
      await vscode.env.clipboard.writeText(id);
    }),
    reg('layerlens.runImage', async (arg?: unknown) => {
      if (isRunRequest(arg)) return runImage(ctx, arg);
      const image = targetOf(arg) ?? await askFor('Image to run', 'app:latest');
      if (!image) return undefined;
      const request = await askRunOptions(image);
      return request ? runImage(ctx, request) : undefined;
    }),
    reg('layerlens.prune', async (arg?: unknown) => {
      const confirmed = arg === true || await vscode.window.showWarningMessage(
        'Remove stopped containers and unused images, layers and build cache?', { modal: true }, 'Prune') === 'Prune';
      if (confirmed) return (await runWithProgress(ctx, 'Pruning the image store', ['prune'])).ok;
      return false;
    }),
  ];
}
