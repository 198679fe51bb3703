// Realistic and hostile Dockerfile text for property tests and size sweeps.

/** Complete instructions (some spanning lines) that realistic Dockerfiles are made of. */
const snippets = [
  'FROM --platform=$BUILDPLATFORM golang:1.22 AS build', 'ARG VERSION=1.0', 'ARG TARGETARCH',
  'ENV PATH=/opt/bin:$PATH LANG=C.UTF-8', 'ENV LEGACY value with spaces', 'LABEL org.opencontainers.image.title="demo app"',
  'WORKDIR /src', 'COPY --chown=1000:1000 go.mod go.sum ./', 'COPY --from=build /out/app /usr/local/bin/app',
  'RUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl ca-certificates && \\\n    rm -rf /var/lib/apt/lists/*',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app', 'RUN ["sh", "-c", "echo $HOME"]',
  'RUN <<EOF\nset -eux\necho "${VERSION:-dev}"\nEOF', 'COPY <<-"CONF" /etc/app.conf\n\tkey=value\n\tCONF',
  'HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1', 'EXPOSE 8080/tcp 9090', 'USER 65534:65534',
  'ENTRYPOINT ["/usr/local/bin/app"]', 'CMD ["--help"]', 'ONBUILD COPY . /app', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  'STOPSIGNAL SIGTERM', 'VOLUME ["/data"]', '# a comment', '', 'ADD https://example.com/x.tar.gz /tmp/',
  'RUN set -eux; \\\n    # fetch\n    curl -fsSL https://example.com/x | tar -xz -C /opt; \\\n    chmod +x /opt/x',
];

/** Lines a mutation may start from (the snippets cut into lines). */
const lines = snippets.flatMap((s) => s.split('\n'));

const noise = ['\\', '`', '"', "'", '<<', '<<-', '$', '${', '}', ':-', '#', '[', ']', ',', '=', '--', '\n', '\r\n', '\t', ' ', 'EOF', '\u00e9', '\ud83d\ude00', '\u0000', '\ufeff'];

/** Deterministic pseudo-random numbers. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A realistic Dockerfile of at least `bytes` characters. */
export function realisticDockerfile(bytes: number, seed = 1): string {
  const rnd = seeded(seed);
  const parts: string[] = ['# syntax=docker/dockerfile:1', 'FROM alpine'];
  let size = 0;
  while (size < bytes) {
    const snippet = rnd() < 0.03 ? `FROM alpine:3.${Math.floor(rnd() * 20)} AS s${parts.length}` : snippets[Math.floor(rnd() * snippets.length)];
    parts.push(snippet);
    size += snippet.length + 1;
  }
  return parts.join('\n') + '\n';
}

/** `text` with random insertions, deletions and duplications of hostile fragments. */
export function mutate(text: string, seed: number, edits: number): string {
  const rnd = seeded(seed);
  let out = text;
  void lines;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const r = rnd();
    if (r < 0.5) out = out.slice(0, at) + noise[Math.floor(rnd() * noise.length)] + out.slice(at);
    else if (r < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rnd() * 5));
    else out = out.slice(0, at) + out.slice(at, at + 20) + out.slice(at);
  }
  return out;
}

/** Inputs shaped to hit worst cases: one long continued instruction, long lines, many markers. */
export const pathological: Record<string, (bytes: number) => string> = {
  'one continued RUN': (n) => 'FROM a\nRUN echo \\\n' + '  x && \\\n'.repeat(Math.ceil(n / 9)) + '  done\n',
  'one long ENV line': (n) => 'FROM a\nENV ' + 'K=v '.repeat(Math.ceil(n / 4)) + '\n',
  'quotes that never close': (n) => 'FROM a\nENV A="' + 'x \\" \''.repeat(Math.ceil(n / 6)) + '\n',
  'many heredoc markers': (n) => 'FROM a\nRUN ' + '<<E '.repeat(Math.ceil(n / 4)) + '\n',
  'unterminated heredocs': (n) => 'FROM a\n' + 'RUN <<EOF\nbody\n'.repeat(Math.ceil(n / 15)),
  'nested expansions': (n) => 'FROM a\nARG A=' + '${A:-'.repeat(Math.ceil(n / 10)) + 'x' + '}'.repeat(Math.ceil(n / 10)) + '\n',
  'directive-like comments': (n) => '# syntax=x\n' + '# a=b\n'.repeat(Math.ceil(n / 6)) + 'FROM a\n',
  'empty continuation lines': (n) => 'FROM a\nRUN a \\\n' + '\n'.repeat(n) + 'b\n',
  'comment lines in a continuation': (n) => 'FROM a\nRUN a \\\n' + '# c\n'.repeat(Math.ceil(n / 4)) + 'b\n',
  'many flags': (n) => 'FROM a\nCOPY ' + '--link '.repeat(Math.ceil(n / 7)) + 'a b\n',
  'JSON array': (n) => 'FROM a\nCMD [' + '"x",'.repeat(Math.ceil(n / 4)) + '"y"]\n',
};
