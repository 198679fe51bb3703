// Platforms (`os/arch[/variant]`) as containerd normalizes them, and BuildKit's predefined
// platform args (BUILDPLATFORM, TARGETOS, ...).

export interface Platform {
  os: string;
  architecture: string;
  variant: string;
}

const archAliases: Record<string, [string, string]> = {
  x86_64: ['amd64', ''], 'x86-64': ['amd64', ''], amd64: ['amd64', ''],
  aarch64: ['arm64', ''], arm64: ['arm64', ''],
  armhf: ['arm', 'v7'], armel: ['arm', 'v6'], arm: ['arm', 'v7'],
  i386: ['386', ''], i686: ['386', ''], '386': ['386', ''],
};

const knownOS = new Set(['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'android', 'ios', 'aix', 'dragonfly', 'plan9', 'js', 'wasip1']);
const component = /^[A-Za-z0-9_-]+$/;

/** Parses a platform specifier; returns an error message when containerd would refuse it. */
export function parsePlatform(spec: string): Platform | string {
  const parts = spec.split('/');
  if (parts.length > 3 || parts.some((p) => !component.test(p))) return `"${spec}": invalid platform specifier`;
  const lower = parts.map((p) => p.toLowerCase());
  if (lower.length === 1) {
    if (knownOS.has(lower[0])) return { os: lower[0], architecture: 'amd64', variant: '' };
    const arch = archAliases[lower[0]];
    if (!arch) return `"${spec}": unknown operating system or architecture: invalid argument`;
    return { os: 'linux', architecture: arch[0], variant: arch[1] };
  }
  const [os, archRaw, variantRaw] = lower;
  const alias = archAliases[archRaw];
  let architecture = alias ? alias[0] : archRaw;
  let variant = variantRaw ?? (alias ? alias[1] : '');
  if (architecture === 'arm64' && variant === 'v8') variant = '';
  if (architecture === 'arm' && variant === '') variant = 'v7';
  if (architecture === 'arm' && (variant === '8' || variant === 'v8')) { architecture = 'arm64'; variant = ''; }
  return { os, architecture, variant };
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** `linux/amd64` for the planner's default; callers pass the host's platform when they know it. */
export const defaultPlatform: Platform = { os: 'linux', architecture: 'amd64', variant: '' };

/** BuildKit's predefined platform args. */
export function platformArgs(build: Platform, target: Platform): Record<string, string> {
  return {
    BUILDPLATFORM: formatPlatform(build),
    BUILDOS: build.os,
    BUILDARCH: build.architecture,
    BUILDVARIANT: build.variant,
    TARGETPLATFORM: formatPlatform(target),
    TARGETOS: target.os,
    TARGETARCH: target.architecture,
    TARGETVARIANT: target.variant,
  };
}

/** The platform of the machine running Node, as an OCI platform string. */
export function hostPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm/v7', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return `linux/${arch[process.arch] ?? process.arch}`;
}
