// BuildKit's `# check=skip=A,B;error=true;experimental=C` directive (or the BUILDKIT_DOCKERFILE_CHECK
// build argument, which replaces it), parsed with BuildKit's rules: at most three `;`-separated
// `key=value` parts, keys `skip`, `error`, `experimental`; `all` for skip and experimental.

export interface CheckConfig {
  skip: ReadonlySet<string>;
  skipAll: boolean;
  experimental: ReadonlySet<string>;
  experimentalAll: boolean;
  /** `error=true`: check violations fail the build. */
  error: boolean;
}

export const defaultCheckConfig: CheckConfig = { skip: new Set(), skipAll: false, experimental: new Set(), experimentalAll: false, error: false };

export type CheckParse = { config: CheckConfig; error?: undefined } | { config: CheckConfig; error: string };

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

/** Parses a check directive value; on error the config is the default (BuildKit fails the build). */
export function parseCheckDirective(value: string): CheckParse {
  const text = value.trim();
  if (text === '') return { config: defaultCheckConfig };
  const skip = new Set<string>();
  const experimental = new Set<string>();
  let skipAll = false;
  let experimentalAll = false;
  let error = false;
  // Go's strings.SplitN(s, ";", 3): the third part keeps any further semicolons.
  const parts: string[] = [];
  let rest = text;
  while (parts.length < 2) {
    const i = rest.indexOf(';');
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) return { config: defaultCheckConfig, error: `invalid check option "${part}"` };
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    switch (key) {
      case 'skip':
        if (raw === 'all') skipAll = true;
        else list(raw).forEach((r) => skip.add(r));
        break;
      case 'experimental':
        if (raw === 'all') experimentalAll = true;
        else list(raw).forEach((r) => experimental.add(r));
        break;
      case 'error':
        if (TRUE.has(raw)) error = true;
        else if (FALSE.has(raw)) error = false;
        else return { config: defaultCheckConfig, error: `failed to parse check option "${part}": invalid syntax (expected true or false)` };
        break;
      default:
        return { config: defaultCheckConfig, error: `invalid check option "${key}"` };
    }
  }
  return { config: { skip, skipAll, experimental, experimentalAll, error } };
}
