// RUN: the argv to execute (stage SHELL for shell form, heredocs as BuildKit feeds them),
// mounts, network and security mode, and the environment that enters its cache key.
import { parseHeredocMarker } from '../parser/heredocMarkers';
import { planMounts } from './runMounts';
import type { StepContext, StepDraft } from './stepContext';
import type { PlannedHeredoc } from './types';

const networkModes = new Set(['default', 'none', 'host']);
const securityModes = new Set(['sandbox', 'insecure']);

export function planRun(ctx: StepContext): StepDraft {
  const { instruction, state } = ctx;
  const shellForm = instruction.form !== 'exec';
  const heredocs: PlannedHeredoc[] = instruction.heredocs.map((h) => ({ name: h.name, fileDescriptor: h.fileDescriptor, content: h.chomp ? chomp(h.content) : h.content, expand: h.expand }));
  let command = instruction.args.map((a) => a.value);
  let summary = '';
  if (instruction.heredocs.length > 0 && shellForm && command.length === 1) {
    const single = parseHeredocMarker(command[0]).marker;
    const first = instruction.heredocs[0];
    if (single && instruction.heredocs.length === 1) {
      const data = first.chomp ? chomp(first.content) : first.content;
      command = data.startsWith('#!') ? [`/dev/pipes/${first.name}`] : [data];
    } else {
      command = [command[0] + instruction.heredocs.map((h) => '\n' + h.content + h.name).join('')];
    }
    const lines = first.content.trim().split(/\r?\n/);
    summary = ` (${lines[0]}${lines.length > 1 ? '...' : ''})`;
  }
  const argv = shellForm ? state.shell.concat(command.join(' ')) : command;
  if (shellForm) for (const word of instruction.args) ctx.expander.shellUses(word, ctx.scope);
  const mounts = planMounts(ctx);
  const network = flagValue(ctx, 'network');
  const security = flagValue(ctx, 'security');
  if (network !== undefined && !networkModes.has(network)) report(ctx, 'network', `unsupported network mode: ${network}`);
  if (security !== undefined && !securityModes.has(security)) report(ctx, 'security', `unsupported security mode: ${security}`);
  // A mount from another stage reads its result (`stage<index>` until that stage is planned).
  const stages: number[] = [];
  for (const m of mounts) if (m.fromStage !== undefined) stages.push(m.fromStage);
  const optionsWith = (results: readonly (string | undefined)[]): Record<string, string> => {
    const options: Record<string, string> = {};
    let read = 0;
    mounts.forEach((m, i) => {
      options[`mount${i}`] = JSON.stringify({ ...m, options: undefined, fromStage: m.fromStage !== undefined ? results[read++] ?? `stage${m.fromStage}` : undefined });
    });
    if (network !== undefined) options.network = network;
    if (security !== undefined) options.security = security;
    return options;
  };
  const options = optionsWith([]);
  const reads = stages.length === 0 ? undefined : { stages, render: (results: readonly (string | undefined)[]) => ({ options: optionsWith(results) }) };
  return {
    createsLayer: true,
    arguments: argv,
    display: displayOf(ctx) + summary,
    details: { kind: 'run', argv, shellForm, mounts, network, security, heredocs },
    key: { op: 'RUN', command: JSON.stringify(argv), envOf: state.vars, options, reads },
    state,
  };
}

function chomp(text: string): string {
  return text.replace(/^\t+/gm, '');
}

function flagValue(ctx: StepContext, name: string): string | undefined {
  let value: string | undefined;
  for (const f of ctx.instruction.flags) if (f.name === name && f.value !== undefined) value = f.value;
  return value;
}

function report(ctx: StepContext, flag: string, message: string): void {
  const node = ctx.instruction.flags.find((f) => f.name === flag);
  ctx.problems.push({ range: node?.valueRange ?? node?.range ?? ctx.instruction.range, message, code: `invalid-${flag}`, severity: 'error' });
}

/** `RUN ...` with variables shown as BuildKit's progress line shows them. */
export function displayOf(ctx: StepContext): string {
  const inst = ctx.instruction;
  const rest = inst.text.slice(inst.keyword.text.length).trim();
  const display = `${inst.name} ${rest}`.trim();
  return display === inst.text ? inst.text : display; // share the instruction's text when they agree
}
