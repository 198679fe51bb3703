// The Dockerfiles both servers open: three of real-world size and a generated 30,000-line one.

export interface BenchDockerfile {
  name: string;
  text: string;
}

const nodeApp = `# syntax=docker/dockerfile:1
ARG NODE_VERSION=20
FROM node:\${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM node:\${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
EXPOSE 8080
USER nonroot
HEALTHCHECK --interval=30s --timeout=5s CMD ["/nodejs/bin/node", "dist/health.js"]
CMD ["dist/server.js"]
`;

const goService = `# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.20

FROM --platform=$BUILDPLATFORM golang:\${GO_VERSION}-alpine\${ALPINE_VERSION} AS base
RUN apk add --no-cache git ca-certificates tzdata
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-trimpath

FROM base AS deps
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=cache,target=/root/.cache/go-build \\
    go mod download

FROM deps AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=cache,target=/root/.cache/go-build \\
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build \\
      -ldflags "-s -w -X main.version=\${VERSION}" \\
      -o /out/service ./cmd/service

FROM deps AS test
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \\
    --mount=type=cache,target=/root/.cache/go-build \\
    go test ./...

FROM alpine:\${ALPINE_VERSION} AS certs
RUN apk add --no-cache ca-certificates

FROM scratch
LABEL org.opencontainers.image.source="https://github.com/example/service" \\
      org.opencontainers.image.description="Example service" \\
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=base /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /out/service /service
USER 65532:65532
EXPOSE 8443/tcp 9090/tcp
STOPSIGNAL SIGTERM
ENTRYPOINT ["/service"]
CMD ["--config", "/etc/service/config.yaml"]
`;

/** A CI toolbox image of the kind that grows over years: long RUN chains, many ARGs and ENVs. */
function ciToolbox(): string {
  const lines = ['# syntax=docker/dockerfile:1', 'ARG DEBIAN_RELEASE=bookworm', 'FROM debian:${DEBIAN_RELEASE}-slim AS toolbox', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'];
  const tools = ['jq', 'yq', 'kubectl', 'helm', 'terraform', 'packer', 'vault', 'consul', 'shellcheck', 'hadolint', 'trivy', 'cosign', 'syft', 'grype', 'gh', 'glab', 'awscli', 'gcloud', 'az', 'doctl'];
  for (const [i, tool] of tools.entries()) {
    const upper = tool.toUpperCase();
    lines.push(
      '',
      `# ${tool}`,
      `ARG ${upper}_VERSION=1.${i}.0`,
      `ENV ${upper}_HOME=/opt/${tool} \\`,
      `    PATH=/opt/${tool}/bin:$PATH`,
      `RUN apt-get update \\`,
      `    && apt-get install -y --no-install-recommends curl ca-certificates unzip \\`,
      `    && curl -fsSL "https://downloads.example.com/${tool}/\${${upper}_VERSION}/${tool}-linux-amd64.tar.gz" -o /tmp/${tool}.tgz \\`,
      `    && mkdir -p /opt/${tool}/bin \\`,
      `    && tar -xzf /tmp/${tool}.tgz -C /opt/${tool}/bin \\`,
      `    && rm -rf /tmp/${tool}.tgz /var/lib/apt/lists/*`,
      `RUN ${tool} --version`,
      `LABEL org.example.tools.${tool}="\${${upper}_VERSION}"`,
    );
  }
  lines.push('', 'WORKDIR /workspace', 'USER 1000:1000', 'ENTRYPOINT ["/bin/bash", "-l"]', '');
  return lines.join('\n');
}

/** Instructions per generated stage: about 1,000 lines, so 30,000 lines make 30 stages. */
const STEPS_PER_STAGE = 560;

/** `lines` lines of stages that look like real ones: ARG/ENV use, apt chains, cache mounts, COPY --from. */
export function generatedDockerfile(lines: number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm-slim', 'ARG RELEASE=1.0.0'];
  for (let stage = 0; out.length < lines; stage++) {
    out.push('', `# stage ${stage}`, `FROM \${BASE} AS stage${stage}`, 'ARG RELEASE', `ENV STAGE=${stage} APP_HOME=/srv/app${stage}`, 'WORKDIR $APP_HOME');
    for (let step = 0; step < STEPS_PER_STAGE && out.length < lines; step++) {
      const n = stage * STEPS_PER_STAGE + step;
      switch (step % 8) {
        case 0: out.push(`RUN apt-get update \\`, `    && apt-get install -y --no-install-recommends pkg${n} \\`, `    && rm -rf /var/lib/apt/lists/*`); break;
        case 1: out.push(`ENV LEVEL_${n}=${n} \\`, `    NAME_${n}="value ${n}"`); break;
        case 2: out.push(`COPY src/module${n}/ $APP_HOME/module${n}/`); break;
        case 3: out.push(`RUN --mount=type=cache,target=/root/.cache \\`, `    make -C module${n} RELEASE=\${RELEASE} LEVEL=\${LEVEL_${n - 2}}`); break;
        case 4: out.push(`LABEL org.example.module${n}="\${RELEASE}"`); break;
        case 5: out.push(stage > 0 ? `COPY --from=stage${stage - 1} /srv/app${stage - 1}/module${n - STEPS_PER_STAGE} ./prev${n}` : `ADD --chmod=644 files/${n}.txt ./files/`); break;
        case 6: out.push(`# build module ${n}`, `RUN echo "$STAGE $NAME_${n - 5}" > /tmp/${n}.txt`); break;
        default: out.push(`ARG OPTION_${n}=on`, `EXPOSE ${8000 + (n % 1000)}`); break;
      }
    }
  }
  out.length = lines;
  if (!/^\s*$/.test(out[out.length - 1]) && out[out.length - 1].endsWith('\\')) out[out.length - 1] = out[out.length - 1].slice(0, -1);
  return out.join('\n') + '\n';
}

/** Numbers of the lines that start an instruction (the lines the benches hover and edit). */
export function instructionLineNumbers(lines: readonly string[]): number[] {
  return lines.map((l, i) => (/^[A-Z]+\s/.test(l) ? i : -1)).filter((i) => i >= 0);
}

export function benchDockerfiles(hugeLines = 30000): BenchDockerfile[] {
  return [
    { name: 'node app', text: nodeApp },
    { name: 'go service', text: goService },
    { name: 'CI toolbox', text: ciToolbox() },
    { name: `generated ${hugeLines.toLocaleString('en')}`, text: generatedDockerfile(hugeLines) },
  ];
}
