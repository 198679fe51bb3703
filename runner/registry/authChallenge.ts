// Parses `WWW-Authenticate` (RFC 7235): `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"`.

export interface AuthChallenge {
  /** Lower-case: `bearer` or `basic`. */
  scheme: string;
  params: Record<string, string>;
}

/** One challenge per header value (registries send one). */
export function parseAuthChallenges(header: string | string[] | undefined): AuthChallenge[] {
  if (!header) return [];
  return (Array.isArray(header) ? header : [header]).flatMap((value) => {
    const m = /^\s*([A-Za-z][\w-]*)(?:\s+(.*))?$/s.exec(value);
    if (!m) return [];
    const params: Record<string, string> = {};
    const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))/g;
    let p: RegExpExecArray | null;
    while ((p = re.exec(m[2] ?? '')) !== null) {
      params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    }
    return [{ scheme: m[1].toLowerCase(), params }];
  });
}
