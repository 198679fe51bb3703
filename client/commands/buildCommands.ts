// Build Image and Build and Run: from the palette, the editor title, the explorer, or programmatically.
import * as vscode from 'vscode';
import { defaultContextFor, type BuildOutcome, type BuildRequest } from './build';
import { askFor, type CommandContext } from './commandContext';
import { runImage } from './imageCommands';

/** What callers (tests, tasks, other extensions) may pass instead of being asked. */
export interface BuildArgument {
  dockerfile: string | vscode.Uri;
  tag: string;
  context?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
}

function isBuildArgument(arg: unknown): arg is BuildArgument {
  return typeof arg === 'object' && arg !== null && 'dockerfile' in arg && 'tag' in arg;
}

async function requestFrom(ctx: CommandContext, arg: unknown): Promise<BuildRequest | undefined> {
  const settings = vscode.workspace.getConfiguration('layerlens.build');
  const defaults = { target: settings.get<string>('target') || undefined, buildArgs: settings.get<Record<string, string>>('args', {}) };
  if (isBuildArgument(arg)) {
    const dockerfile = typeof arg.dockerfile === 'string' ? vscode.Uri.file(arg.dockerfile) : arg.dockerfile;
    return {
      dockerfile, tag: arg.tag, context: arg.context ?? defaultContextFor(dockerfile),
      target: arg.target ?? defaults.target, buildArgs: { ...defaults.buildArgs, ...arg.buildArgs }, noCache: arg.noCache,
    };
  }
  const dockerfile = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!dockerfile) {
    void vscode.window.showErrorMessage('Open a Dockerfile (or pick one in the explorer) to build it.');
    return undefined;
  }
  const key = `lastTag:${dockerfile.toString()}`;
  const tag = await askFor('Tag for the image', 'app:latest', ctx.state.get<string>(key) ?? 'app:latest');
  if (!tag) return undefined;
  await ctx.state.update(key, tag);
  return { dockerfile, tag, context: defaultContextFor(dockerfile), ...defaults };
}

export function registerBuildCommands(ctx: CommandContext): vscode.Disposable[] {
  const build = async (arg: unknown): Promise<BuildOutcome | undefined> => {
    const request = await requestFrom(ctx, arg);
    if (!request) return undefined;
    const outcome = await ctx.builder.build(request);
    await ctx.refreshViews();
    return outcome;
  };
  return [
    vscode.commands.registerCommand('layerlens.buildImage', build),
    vscode.commands.registerCommand('layerlens.buildAndRun', async (arg?: unknown) => {
      const outcome = await build(arg);
      if (!outcome?.ok || outcome.tags.length === 0) return undefined;
      return runImage(ctx, { image: outcome.tags[0] });
    }),
  ];
}
