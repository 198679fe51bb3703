// The image config a stage builds up, step by step, the way BuildKit's Dockerfile frontend writes
// it: ENV replaces a variable in place or appends it, EXPOSE records `port/proto` (ranges expanded),
// CMD sets ArgsEscaped, ENTRYPOINT drops an inherited CMD, ONBUILD triggers of the base are not
// inherited, and every instruction leaves a history entry (`created_by` as BuildKit formats it,
// comment `buildkit.dockerfile.v0`, `empty_layer` for steps without a layer).
import { goQuote } from '../../server/parser/buildkitDump';
import { parseGoDuration } from '../../server/parser/goDuration';
import type { PlannedStep } from '../../server/plan/types';
import type { ContainerConfig, HealthConfig, HistoryEntry, OciImageConfig } from '../store/ociTypes';

export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What a stage has built so far, apart from its file system. */
export interface ImageState {
  config: ContainerConfig;
  history: HistoryEntry[];
  author?: string;
  platform: ImagePlatform;
  /** CMD was set by this stage (ENTRYPOINT then keeps it). */
  cmdSet: boolean;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The state a stage starts from: a base image's config (ONBUILD dropped, PATH ensured) or nothing. */
export function startImageState(base: { config?: ContainerConfig; history?: HistoryEntry[]; author?: string } | undefined, platform: ImagePlatform): ImageState {
  const config: ContainerConfig = clone(base?.config ?? {});
  delete config.OnBuild;
  const env = config.Env ?? [];
  if (!env.some((e) => e.split('=')[0] === 'PATH')) config.Env = [...env, `PATH=${DEFAULT_PATH}`];
  return { config, history: clone(base?.history ?? []), author: base?.author, platform, cmdSet: false };
}

/** A stage's state as the base of another stage (its ONBUILD triggers are not inherited). */
export function inheritImageState(state: ImageState): ImageState {
  const copy = clone(state);
  delete copy.config.OnBuild;
  copy.cmdSet = false;
  return copy;
}

function addEnv(env: string[], key: string, value: string): string[] {
  const i = env.findIndex((e) => e.split('=')[0] === key);
  const entry = `${key}=${value}`;
  if (i >= 0) env[i] = entry;
  else env.push(entry);
  return env;
}

/** `[a b]`, as Go's %v prints a string slice. */
function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** `["a" "b"]`, as Go's %q prints a string slice. */
function goQuotedList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** Go's time.Duration.String() for nanoseconds. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let rest = Math.abs(ns);
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${trim(rest / 1e3)}µs`;
  if (rest < 1e9) return `${sign}${trim(rest / 1e6)}ms`;
  let out = '';
  const hours = Math.floor(rest / 3600e9);
  if (hours > 0) out += `${hours}h`;
  rest -= hours * 3600e9;
  const minutes = Math.floor(rest / 60e9);
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  rest -= minutes * 60e9;
  return `${sign}${out}${trim(rest / 1e9)}s`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(9)));
}

/** `port/proto` for each port an EXPOSE spec names (`80`, `53/udp`, `8000-8002`, `127.0.0.1:80:80`). */
export function exposedPorts(spec: string): string[] {
  const [rawPort, rawProto = ''] = spec.split('/', 2);
  const proto = rawProto.toLowerCase() || 'tcp';
  const container = rawPort.slice(rawPort.lastIndexOf(':') + 1);
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(container);
  if (!m) return [];
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  const out: string[] = [];
  for (let p = start; p <= end && out.length < 65536; p++) out.push(`${p}/${proto}`);
  return out;
}

function duration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  return ns === undefined || ns === 0 ? undefined : ns;
}

/** `RUN |2 A=1 B=2 /bin/sh -c make # buildkit`: the declared build args and their values first. */
export function runCreatedBy(step: PlannedStep, argv: readonly string[]): string {
  const vars = new Map<string, string>();
  for (const entry of step.cacheKeyInputs.env) {
    const eq = entry.indexOf('=');
    vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  const args = Object.entries(step.args).map(([name, value]) => `${name}=${vars.get(name) ?? value ?? ''}`);
  const prefix = args.length > 0 ? [`|${args.length}`, ...args] : [];
  return `RUN ${[...prefix, ...argv].join(' ')} # buildkit`;
}

/** Applies a metadata step (everything but FROM/RUN/COPY/ADD/WORKDIR layers) and records its history. */
export function applyConfigStep(state: ImageState, step: PlannedStep, created: string): void {
  const d = step.details;
  const c = state.config;
  let createdBy: string | undefined;
  switch (d.kind) {
    case 'env':
      c.Env = c.Env ?? [];
      for (const p of d.pairs) addEnv(c.Env, p.key, p.value);
      createdBy = `ENV ${d.pairs.map((p) => `${p.key}=${p.value}`).join(' ')}`;
      break;
    case 'label':
      c.Labels = c.Labels ?? {};
      for (const p of d.pairs) c.Labels[p.key] = p.value;
      createdBy = `LABEL ${d.pairs.map((p) => `${p.key}=${p.value}`).join(' ')}`;
      break;
    case 'arg':
      createdBy = `ARG ${d.args.map((a) => (a.value === undefined ? a.name : `${a.name}=${a.value}`)).join(' ')}`;
      break;
    case 'user':
      c.User = d.user;
      createdBy = `USER ${d.user}`;
      break;
    case 'expose': {
      const ports = d.ports.flatMap(exposedPorts);
      c.ExposedPorts = c.ExposedPorts ?? {};
      for (const p of ports) c.ExposedPorts[p] = {};
      createdBy = `EXPOSE ${goList(ports)}`;
      break;
    }
    case 'volume':
      c.Volumes = c.Volumes ?? {};
      for (const v of d.paths) c.Volumes[v] = {};
      createdBy = `VOLUME ${goList(d.paths)}`;
      break;
    case 'cmd':
      c.Cmd = [...d.argv];
      c.ArgsEscaped = true;
      state.cmdSet = true;
      createdBy = `CMD ${goQuotedList(d.argv)}`;
      break;
    case 'entrypoint':
      c.Entrypoint = [...d.argv];
      if (!state.cmdSet) delete c.Cmd;
      createdBy = `ENTRYPOINT ${goQuotedList(d.argv)}`;
      break;
    case 'shell':
      c.Shell = [...d.argv];
      createdBy = `SHELL ${goList(d.argv)}`;
      break;
    case 'stopsignal':
      c.StopSignal = d.signal;
      createdBy = `STOPSIGNAL ${d.signal}`;
      break;
    case 'healthcheck': {
      const health: HealthConfig = { Test: [...d.test] };
      const interval = duration(d.interval);
      const timeout = duration(d.timeout);
      const startPeriod = duration(d.startPeriod);
      const startInterval = duration(d.startInterval);
      if (!d.none) {
        if (interval) health.Interval = interval;
        if (timeout) health.Timeout = timeout;
        if (startPeriod) health.StartPeriod = startPeriod;
        if (startInterval) health.StartInterval = startInterval;
        if (d.retries) health.Retries = d.retries;
      }
      c.Healthcheck = health;
      const show = (ns: number | undefined) => formatGoDuration(d.none ? 0 : ns ?? 0);
      createdBy = `HEALTHCHECK {Test:${goList(d.test)} Interval:${show(interval)} Timeout:${show(timeout)} StartPeriod:${show(startPeriod)} StartInterval:${show(startInterval)} Retries:${d.none ? 0 : d.retries ?? 0}}`;
      break;
    }
    case 'onbuild':
      c.OnBuild = [...(c.OnBuild ?? []), d.trigger];
      return; // BuildKit records no history for ONBUILD
    case 'maintainer':
      state.author = d.name;
      createdBy = `MAINTAINER ${d.name}`;
      break;
    case 'workdir':
      c.WorkingDir = d.path;
      createdBy = `WORKDIR ${d.path}`;
      break;
    default:
      return;
  }
  state.history.push({ created, created_by: createdBy, comment: HISTORY_COMMENT, empty_layer: true });
}

/** Records a layer step (RUN, COPY, ADD, WORKDIR) in the history; `layer` false for an empty diff. */
export function recordLayerStep(state: ImageState, createdBy: string, created: string, layer: boolean): void {
  state.history.push({ created, created_by: createdBy, comment: HISTORY_COMMENT, ...(layer ? {} : { empty_layer: true }) });
}

/** The config JSON written for the image (field order as Docker writes it). */
export function imageConfigOf(state: ImageState, diffIds: string[], created: string): OciImageConfig {
  const c = state.config;
  const config: ContainerConfig = {};
  if (c.User !== undefined && c.User !== '') config.User = c.User;
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length > 0) config.ExposedPorts = sortedKeys(c.ExposedPorts);
  if (c.Env && c.Env.length > 0) config.Env = c.Env;
  if (c.Entrypoint && c.Entrypoint.length > 0) config.Entrypoint = c.Entrypoint;
  if (c.Cmd && c.Cmd.length > 0) config.Cmd = c.Cmd;
  if (c.Volumes && Object.keys(c.Volumes).length > 0) config.Volumes = sortedKeys(c.Volumes);
  if (c.WorkingDir) config.WorkingDir = c.WorkingDir;
  if (c.Labels && Object.keys(c.Labels).length > 0) config.Labels = sortedKeys(c.Labels);
  if (c.StopSignal) config.StopSignal = c.StopSignal;
  if (c.ArgsEscaped) config.ArgsEscaped = true;
  if (c.Healthcheck) config.Healthcheck = c.Healthcheck;
  if (c.OnBuild && c.OnBuild.length > 0) config.OnBuild = c.OnBuild;
  if (c.Shell && c.Shell.length > 0) config.Shell = c.Shell;
  return {
    created,
    ...(state.author ? { author: state.author } : {}),
    architecture: state.platform.architecture,
    os: state.platform.os,
    ...(state.platform.variant ? { variant: state.platform.variant } : {}),
    config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: state.history,
  };
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
