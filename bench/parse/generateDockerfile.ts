// A realistic, deterministic multi-stage Dockerfile of a given number of lines, shaped like a
// monorepo image file: per service, a build stage (continued RUN chains, cache mounts, heredocs,
// ENV/ARG/LABEL, comments) and a runtime stage that copies its result.

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const packages = ['curl', 'ca-certificates', 'git', 'build-essential', 'python3', 'python3-pip', 'libssl-dev', 'pkg-config', 'unzip', 'jq', 'tini', 'gnupg'];

function stage(i: number, rnd: () => number): string[] {
  const name = `stage${i}`;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const lines: string[] = [
    `# ---- ${name}: builds component ${i} ----`,
    `FROM ${pick(['debian:12-slim', 'golang:1.22', 'node:20-bookworm', 'python:3.12-slim', 'alpine:3.20'])} AS ${name}`,
    'ARG VERSION',
    `ARG COMPONENT=component-${i}`,
    `ENV APP_HOME=/opt/\${COMPONENT} \\`,
    '    PATH=/opt/bin:$PATH \\',
    '    LANG=C.UTF-8',
    `LABEL org.opencontainers.image.title="\${COMPONENT}" org.opencontainers.image.version="\${VERSION:-dev}"`,
    'WORKDIR $APP_HOME',
    'RUN set -eux; \\',
    '    apt-get update; \\',
    `    apt-get install -y --no-install-recommends ${pick(packages)} ${pick(packages)} ${pick(packages)}; \\`,
    '    # keep the image small',
    '    rm -rf /var/lib/apt/lists/*',
    'COPY --chown=1000:1000 go.mod go.sum ./',
    'RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked \\',
    '    --mount=type=bind,source=go.sum,target=go.sum \\',
    '    go mod download',
    'COPY . .',
    'RUN <<EOF',
    'set -eux',
    `echo "building \${COMPONENT}"`,
    'make -j"$(nproc)" all',
    'EOF',
  ];
  lines.push(
    '',
    `FROM gcr.io/distroless/base-debian12 AS app${i}`,
    `COPY --from=${name} /opt/bin/ /opt/bin/`,
    `COPY --from=${name} --chown=65532:65532 /opt/${'$'}{COMPONENT}/config.yaml /etc/app/config.yaml`,
    'HEALTHCHECK --interval=30s --timeout=3s CMD ["/opt/bin/healthcheck"]',
    'EXPOSE 8080/tcp',
    'USER 1000:1000',
    `ENTRYPOINT ["/opt/bin/${name}"]`,
    'CMD ["--help"]',
    '',
  );
  return lines;
}

/** A Dockerfile of about `lineCount` lines. */
export function generateDockerfile(lineCount: number, seed = 42): string {
  const rnd = seeded(seed);
  const lines = ['# syntax=docker/dockerfile:1.7', 'ARG VERSION=1.0.0', ''];
  for (let i = 0; lines.length < lineCount; i++) lines.push(...stage(i, rnd));
  return lines.slice(0, lineCount).join('\n') + '\n';
}
