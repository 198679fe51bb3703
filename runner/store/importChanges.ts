// `import --change`: the runtime-config instructions `docker import` accepts (CMD, ENTRYPOINT,
// ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ONBUILD), one per option, applied to
// an image config. Values are a JSON array (exec form) or text (shell form / key=value pairs).
import { ContainerConfig } from './ociTypes';

export class ChangeError extends Error {}

/** Splits on blanks outside quotes; quotes (anywhere in a word) group and are removed. */
function words(text: string): string[] {
  const out: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current ??= '';
    } else if (/\s/.test(c)) {
      if (current !== undefined) out.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== undefined) out.push(current);
  return out;
}

function keyValues(text: string, what: string, change: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = words(text);
  if (parts.length === 2 && !parts[0].includes('=')) return { [parts[0]]: parts[1] };
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ChangeError(`--change '${change}': expected ${what} as key=value, got '${p}'`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function command(text: string, change: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed as string[];
    } catch {
      /* shell form */
    }
    throw new ChangeError(`--change '${change}': the exec form must be a JSON array of strings`);
  }
  return ['/bin/sh', '-c', trimmed];
}

/** Applies one `--change` value to `config` (in place) and returns it. */
export function applyChange(config: ContainerConfig, change: string): ContainerConfig {
  const m = /^\s*([A-Za-z]+)\s+([\s\S]+)$/.exec(change);
  if (!m) throw new ChangeError(`--change '${change}': expected INSTRUCTION ARGUMENTS, e.g. 'CMD ["/bin/sh"]'`);
  const instruction = m[1].toUpperCase();
  const rest = m[2].trim();
  switch (instruction) {
    case 'CMD': config.Cmd = command(rest, change); break;
    case 'ENTRYPOINT': config.Entrypoint = command(rest, change); break;
    case 'ENV': {
      const env = new Map((config.Env ?? []).map((e) => [e.split('=')[0], e] as [string, string]));
      for (const [k, v] of Object.entries(keyValues(rest, 'ENV', change))) env.set(k, `${k}=${v}`);
      config.Env = [...env.values()];
      break;
    }
    case 'LABEL': config.Labels = { ...config.Labels, ...keyValues(rest, 'LABEL', change) }; break;
    case 'EXPOSE':
      for (const port of words(rest)) {
        if (!/^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/.test(port)) throw new ChangeError(`--change '${change}': invalid port '${port}'`);
        config.ExposedPorts = { ...config.ExposedPorts, [port.includes('/') ? port : `${port}/tcp`]: {} };
      }
      break;
    case 'VOLUME': {
      const vols = rest.startsWith('[') ? command(rest, change) : words(rest);
      for (const v of vols) config.Volumes = { ...config.Volumes, [v]: {} };
      break;
    }
    case 'USER': config.User = rest; break;
    case 'WORKDIR': config.WorkingDir = rest; break;
    case 'STOPSIGNAL': config.StopSignal = rest; break;
    case 'ONBUILD': config.OnBuild = [...(config.OnBuild ?? []), rest]; break;
    default:
      throw new ChangeError(`--change '${change}': ${instruction} cannot be changed on import (use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME or WORKDIR)`);
  }
  return config;
}
