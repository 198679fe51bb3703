// Instructions that change the image config or the stage's variables, not the filesystem
// (WORKDIR excepted: BuildKit makes the directory with a small mkdir layer).
import type { KeyValueNode } from '../parser/types';
import { resolveWorkdir } from './containerPath';
import { copyRecord } from './copyRecord';
import { fitted } from './fitted';
import { displayOf } from './planRun';
import { withChanges } from './stageState';
import type { StepContext, StepDraft } from './stepContext';
import type { StepDetails } from './types';
import { variableValue, withVariables } from './variableEntries';

type Planner = (ctx: StepContext) => StepDraft;

function metadata(ctx: StepContext, details: StepDetails, args: string[], state = ctx.state): StepDraft {
  const display = displayOf(ctx);
  return { createsLayer: false, arguments: args, display, details, key: { op: ctx.instruction.name, command: JSON.stringify(args) }, state };
}

function expandPairs(ctx: StepContext, pairs: KeyValueNode[]): { key: string; value: string }[] {
  return pairs.map((p) => ({ key: ctx.expander.word(p.key, ctx.scope), value: p.value ? ctx.expander.word(p.value, ctx.scope) : '' }));
}

const planEnv: Planner = (ctx) => {
  const pairs = expandPairs(ctx, ctx.instruction.pairs);
  if (pairs.length === 0) return metadata(ctx, { kind: 'env', pairs }, []);
  const changes: [string, string][] = pairs.map(({ key, value }) => [key, value]);
  // Not frozen (nor args below): each frozen copy gets a hidden class and key list of its own, ~12 MB
  // over bench/lsp's 4,000 ENV and ARG copies. Read only all the same.
  const env = copyRecord(ctx.state.env, changes);
  const state = withChanges(ctx.state, { env, vars: withVariables(ctx.state.vars, changes) });
  return metadata(ctx, { kind: 'env', pairs }, pairs.map((p) => `${p.key}=${p.value}`), state);
};

const planLabel: Planner = (ctx) => {
  const pairs = expandPairs(ctx, ctx.instruction.pairs);
  return metadata(ctx, { kind: 'label', pairs }, pairs.map((p) => `${p.key}=${p.value}`));
};

const planArg: Planner = (ctx) => {
  const vars = ctx.state.vars;
  const set: [string, string][] = [];
  const resolved: { name: string; value?: string }[] = [];
  const buildArgs = ctx.options.buildArgs ?? {};
  // Values set by earlier pairs of this ARG, then the stage's variables.
  const current = (n: string): string | undefined => {
    for (let i = set.length - 1; i >= 0; i--) if (set[i][0] === n) return set[i][1];
    return variableValue(vars, n);
  };
  for (const pair of ctx.instruction.pairs) {
    const name = pair.key.value;
    const fromBuildArg = Object.prototype.hasOwnProperty.call(buildArgs, name);
    let value: string | undefined;
    if (fromBuildArg) {
      value = buildArgs[name];
      if (!ctx.usedBuildArgs.includes(name)) ctx.usedBuildArgs.push(name);
    } else if (pair.value) {
      value = ctx.expander.word(pair.value, { lookup: current, sourceOf: (n) => (n in ctx.state.env && ctx.state.env[n] === current(n) ? 'env' : 'arg') });
    } else if (ctx.metaArgs.has(name)) {
      value = ctx.metaArgs.get(name);
    }
    if (value !== undefined) set.push([name, value]);
    resolved.push({ name, value });
  }
  if (resolved.length === 0) return metadata(ctx, { kind: 'arg', args: resolved }, []);
  const args = copyRecord(ctx.state.args, resolved.map((a): [string, string | undefined] => [a.name, a.value]));
  const state = withChanges(ctx.state, { vars: set.length > 0 ? withVariables(vars, fitted(set)) : vars, args });
  return metadata(ctx, { kind: 'arg', args: fitted(resolved) }, resolved.map((a) => (a.value === undefined ? a.name : `${a.name}=${a.value}`)), state);
};

const planWorkdir: Planner = (ctx) => {
  const word = ctx.instruction.args[0];
  const requested = word ? ctx.expander.word(word, ctx.scope) : '';
  const path = resolveWorkdir(ctx.state.workdir, requested);
  const state = withChanges(ctx.state, { workdir: path, workdirSet: true });
  const layer = path !== '/';
  return {
    createsLayer: layer,
    layerOnlyIfMissing: layer || undefined,
    arguments: [path],
    display: `WORKDIR ${path}`,
    details: { kind: 'workdir', path },
    key: { op: layer ? 'MKDIR' : 'WORKDIR', command: `mkdir -p ${path}`, options: { user: ctx.state.user } },
    state,
  };
};

const planUser: Planner = (ctx) => {
  const word = ctx.instruction.args[0];
  const user = word ? ctx.expander.word(word, ctx.scope) : '';
  return metadata(ctx, { kind: 'user', user }, [user], withChanges(ctx.state, { user }));
};

const planShell: Planner = (ctx) => {
  const argv = ctx.instruction.form === 'exec' ? ctx.instruction.args.map((a) => a.value) : [];
  const state = argv.length > 0 ? withChanges(ctx.state, { shell: Object.freeze(argv) }) : ctx.state;
  return metadata(ctx, { kind: 'shell', argv }, argv, state);
};

const planExpose: Planner = (ctx) => {
  const ports = fitted(ctx.instruction.args.flatMap((a) => ctx.expander.words(a, ctx.scope)));
  for (const [i, port] of ports.entries()) {
    if (!validPort(port)) {
      const range = ctx.instruction.args[Math.min(i, ctx.instruction.args.length - 1)].range;
      ctx.problems.push({ range, message: `invalid containerPort: ${port}`, code: 'invalid-port', severity: 'error' });
    }
  }
  return metadata(ctx, { kind: 'expose', ports }, ports);
};

function validPort(spec: string): boolean {
  const [portPart, proto] = spec.split('/', 2);
  if (proto !== undefined && !/^(tcp|udp|sctp)$/i.test(proto)) return false;
  const container = portPart.slice(portPart.lastIndexOf(':') + 1);
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(container);
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= 65535 && hi <= 65535 && lo <= hi;
}

const planVolume: Planner = (ctx) => {
  const paths = ctx.instruction.args.map((a) => ctx.expander.word(a, ctx.scope));
  return metadata(ctx, { kind: 'volume', paths }, paths);
};

const signals = new Set(['ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'UNUSED', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ']);

const planStopSignal: Planner = (ctx) => {
  const word = ctx.instruction.args[0];
  const signal = word ? ctx.expander.word(word, ctx.scope) : '';
  if (word && !validSignal(signal)) ctx.problems.push({ range: word.range, message: `Invalid signal: ${signal}`, code: 'invalid-signal', severity: 'error' });
  return metadata(ctx, { kind: 'stopsignal', signal }, [signal]);
};

function validSignal(signal: string): boolean {
  if (/^[0-9]+$/.test(signal)) return Number(signal) > 0 && Number(signal) <= 64;
  const name = signal.toUpperCase().replace(/^SIG/, '');
  return signals.has(name) || /^RTM(IN|AX)([+-][0-9]+)?$/.test(name);
}

function commandLine(ctx: StepContext): { argv: string[]; shellForm: boolean } {
  const inst = ctx.instruction;
  if (inst.form === 'exec') return { argv: inst.args.map((a) => a.value), shellForm: false };
  const text = inst.args.map((a) => a.value).join(' ');
  return { argv: [...ctx.state.shell, text], shellForm: true };
}

const planCmd: Planner = (ctx) => {
  const { argv, shellForm } = commandLine(ctx);
  return metadata(ctx, { kind: ctx.instruction.name === 'CMD' ? 'cmd' : 'entrypoint', argv, shellForm }, argv);
};

const planHealthcheck: Planner = (ctx) => {
  const inst = ctx.instruction;
  const type = (inst.args[0]?.value ?? '').toUpperCase();
  const flag = (name: string) => inst.flags.filter((f) => f.name === name).pop()?.value;
  if (type === 'NONE') return metadata(ctx, { kind: 'healthcheck', none: true, test: ['NONE'] }, ['NONE']);
  const cmd = inst.args.slice(1).map((a) => a.value);
  const test = inst.form === 'exec' ? ['CMD', ...cmd] : ['CMD-SHELL', cmd.join(' ')];
  const retries = flag('retries');
  return metadata(
    ctx,
    { kind: 'healthcheck', none: false, test, interval: flag('interval'), timeout: flag('timeout'), startPeriod: flag('start-period'), startInterval: flag('start-interval'), retries: retries !== undefined && /^[0-9]+$/.test(retries) ? Number(retries) : undefined },
    test,
  );
};

const planOnbuild: Planner = (ctx) => {
  const inst = ctx.instruction;
  let trigger = inst.text.replace(/^\s*ONBUILD\s*/i, '');
  for (const h of inst.heredocs) trigger += '\n' + h.content + h.name;
  return metadata(ctx, { kind: 'onbuild', trigger }, [trigger]);
};

const planMaintainer: Planner = (ctx) => {
  const name = ctx.instruction.args[0]?.value ?? '';
  return metadata(ctx, { kind: 'maintainer', name }, [name]);
};

const planUnknown: Planner = (ctx) => metadata(ctx, { kind: 'unknown' }, ctx.instruction.args.map((a) => a.value));

export const configPlanners: Record<string, Planner> = {
  ENV: planEnv,
  LABEL: planLabel,
  ARG: planArg,
  WORKDIR: planWorkdir,
  USER: planUser,
  SHELL: planShell,
  EXPOSE: planExpose,
  VOLUME: planVolume,
  STOPSIGNAL: planStopSignal,
  CMD: planCmd,
  ENTRYPOINT: planCmd,
  HEALTHCHECK: planHealthcheck,
  ONBUILD: planOnbuild,
  MAINTAINER: planMaintainer,
  UNKNOWN: planUnknown,
};
