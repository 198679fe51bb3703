// The build arguments FROM lines see: BuildKit's predefined platform arguments plus the ARGs
// declared before the first FROM, resolved in order (with or without `--build-arg` values).
import { lookupIn, processWord } from '../../parser/shell/lexer';
import type { LintContext, StageView } from '../lintContext';

export interface Platform {
  os: string;
  arch: string;
  variant?: string;
}

const KNOWN_OS = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'android', 'ios', 'aix', 'plan9', 'js', 'wasip1', 'dragonfly']);
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386', i686: '386' };
const COMPONENT = /^[A-Za-z0-9_-]+$/;

/** containerd's platforms.Parse, simplified: `os[/arch[/variant]]` or a bare arch (os linux). */
export function parsePlatform(spec: string): Platform | undefined {
  const parts = spec.trim().toLowerCase().split('/');
  if (parts.length === 0 || parts.length > 3 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  const arch = (a: string) => ARCH_ALIASES[a] ?? a;
  if (parts.length === 1) return KNOWN_OS.has(parts[0]) ? { os: parts[0], arch: 'amd64' } : { os: 'linux', arch: arch(parts[0]) };
  return { os: parts[0], arch: arch(parts[1]), variant: parts[2] };
}

/** BuildKit's predefined platform ARGs for a target and build platform. */
export function platformArgs(target: string, build: string): Record<string, string> {
  const t = parsePlatform(target) ?? { os: 'linux', arch: 'amd64' };
  const b = parsePlatform(build) ?? { os: 'linux', arch: 'amd64' };
  return {
    BUILDPLATFORM: build,
    BUILDOS: b.os,
    BUILDARCH: b.arch,
    BUILDVARIANT: b.variant ?? '',
    TARGETPLATFORM: target,
    TARGETOS: t.os,
    TARGETARCH: t.arch,
    TARGETVARIANT: t.variant ?? '',
  };
}

export const PREDEFINED_ARGS = new Set(['BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE']);

export interface GlobalArgs {
  /** Values FROM lines expand with (declared ARGs without a value are absent). */
  values: Record<string, string>;
  /** Names of the ARGs declared before the first FROM. */
  declared: Set<string>;
}

/** Resolves the global ARGs; `withBuildArgs` false means "defaults only" (InvalidDefaultArgInFrom). */
export function globalArgs(ctx: LintContext, withBuildArgs: boolean): GlobalArgs {
  const values: Record<string, string> = platformArgs(ctx.plan.targetPlatform, ctx.plan.buildPlatform);
  const declared = new Set<string>();
  const buildArgs = withBuildArgs ? ctx.options.buildArgs ?? {} : {};
  for (const i of ctx.globalInstructions) {
    const instruction = ctx.instructions[i];
    if (instruction.name !== 'ARG') continue;
    for (const pair of instruction.pairs) {
      const key = pair.key.value;
      declared.add(key);
      if (Object.prototype.hasOwnProperty.call(buildArgs, key)) values[key] = buildArgs[key];
      else if (pair.value) {
        const r = processWord(pair.value.value, lookupIn(values), { escapeChar: ctx.syntax.escapeChar });
        if (!r.error) values[key] = r.result;
      }
    }
  }
  return { values, declared };
}

/**
 * The base image reference of a stage as written, with global ARGs expanded; undefined for
 * scratch, other stages and references that do not resolve.
 */
export function fromImageRef(ctx: LintContext, stage: StageView, args: Readonly<Record<string, string>>): string | undefined {
  const word = stage.from.image;
  if (!word || (stage.plan && stage.plan.base.kind !== 'image')) return undefined;
  let ref = word.value;
  if (/[$'"\\`]/.test(ref)) {
    const expanded = processWord(word.value, lookupIn(args), { escapeChar: ctx.syntax.escapeChar });
    if (expanded.error || expanded.unmatched.size > 0) return undefined;
    ref = expanded.result;
  }
  if (ref === '' || ref.toLowerCase() === 'scratch') return undefined;
  if (ctx.stages.some((s) => s.index < stage.index && s.name === ref.toLowerCase())) return undefined;
  return ref;
}
