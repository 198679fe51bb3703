// Snippets for common instructions, offered by completion next to the bare keywords.

export interface InstructionSnippet {
  instruction: string;
  label: string;
  detail: string;
  /** LSP snippet syntax, keyword included. */
  body: string;
}

/** The snippets, with line continuations written with the file's escape character. */
export function instructionSnippets(escape: string): InstructionSnippet[] {
  const continuation = escape === '\\' ? '\\\\' : escape; // a backslash is itself escaped in snippet syntax
  const nl = ` ${continuation}\n    `;
  return [
    { instruction: 'FROM', label: 'FROM image AS stage', detail: 'New named build stage', body: 'FROM ${1:image}:${2:tag} AS ${3:build}' },
    {
      instruction: 'RUN', label: 'RUN apt-get install', detail: 'Debian/Ubuntu packages in one layer, lists cleaned',
      body: `RUN apt-get update${nl}&& apt-get install -y --no-install-recommends \${1:package}${nl}&& rm -rf /var/lib/apt/lists/*`,
    },
    {
      instruction: 'RUN', label: 'RUN apt-get install (cache mounts)', detail: 'apt with BuildKit cache mounts: nothing cached ends up in the layer',
      body: `RUN --mount=type=cache,target=/var/cache/apt,sharing=locked${nl}--mount=type=cache,target=/var/lib/apt,sharing=locked${nl}apt-get update && apt-get install -y --no-install-recommends \${1:package}`,
    },
    { instruction: 'RUN', label: 'RUN apk add', detail: 'Alpine packages without a cache', body: 'RUN apk add --no-cache ${1:package}' },
    { instruction: 'RUN', label: 'RUN pip install (cache mount)', detail: 'pip with a BuildKit cache mount', body: 'RUN --mount=type=cache,target=/root/.cache/pip pip install ${1:-r requirements.txt}' },
    { instruction: 'RUN', label: 'RUN <<EOF heredoc', detail: 'Multi-line script in one layer', body: 'RUN <<EOF\nset -e\n${1:command}\nEOF' },
    { instruction: 'RUN', label: 'RUN --mount=type=secret', detail: 'Use a build secret without storing it', body: 'RUN --mount=type=secret,id=${1:token},env=${2:TOKEN} ${3:command}' },
    { instruction: 'COPY', label: 'COPY --from=stage', detail: 'Copy a build result from another stage', body: 'COPY --from=${1:build} ${2:/src/out} ${3:/app/}' },
    { instruction: 'COPY', label: 'COPY --link', detail: 'Copy into an independent, reusable layer', body: 'COPY --link ${1:src} ${2:dest}' },
    { instruction: 'HEALTHCHECK', label: 'HEALTHCHECK curl', detail: 'HTTP health check', body: 'HEALTHCHECK --interval=${1:30s} --timeout=${2:5s} --retries=${3:3} CMD ${4:curl -fsS http://localhost:8080/ || exit 1}' },
    { instruction: 'CMD', label: 'CMD ["exec", "form"]', detail: 'Default command, exec form', body: 'CMD ["${1:executable}", "${2:arg}"]' },
    { instruction: 'ENTRYPOINT', label: 'ENTRYPOINT ["exec", "form"]', detail: 'Entrypoint, exec form', body: 'ENTRYPOINT ["${1:executable}"]' },
    { instruction: 'SHELL', label: 'SHELL bash pipefail', detail: 'Bash with pipefail for RUN', body: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]' },
    { instruction: 'LABEL', label: 'LABEL OCI annotations', detail: 'org.opencontainers.image.* labels', body: `LABEL org.opencontainers.image.source="\${1:https://github.com/owner/repo}"${nl}org.opencontainers.image.description="\${2:description}"` },
    { instruction: 'USER', label: 'USER non-root', detail: 'Run as an unprivileged user', body: 'USER ${1:65532}:${2:65532}' },
    { instruction: 'ARG', label: 'ARG TARGETARCH', detail: 'Target architecture in this stage', body: 'ARG ${1|TARGETARCH,TARGETOS,TARGETPLATFORM,BUILDPLATFORM|}' },
  ];
}
