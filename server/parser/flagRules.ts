// Which builder flags each instruction accepts and of what kind (BuildKit's BFlags).

export type FlagKind = 'bool' | 'string' | 'strings';

/** Flags per instruction; `ignored` means BuildKit never looks at the flags. */
export const instructionFlags: Record<string, Record<string, FlagKind> | 'ignored'> = {
  ADD: { chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', unpack: 'bool', exclude: 'strings' },
  COPY: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'strings' },
  FROM: { platform: 'string' },
  RUN: { mount: 'strings', network: 'string', security: 'string' },
  HEALTHCHECK: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
  ARG: 'ignored',
  STOPSIGNAL: 'ignored',
};

/** The flags BuildKit accepts on `instruction` (empty for instructions without flags). */
export function flagsOf(instruction: string): Record<string, FlagKind> {
  const spec = instructionFlags[instruction];
  return spec === undefined || spec === 'ignored' ? {} : spec;
}
