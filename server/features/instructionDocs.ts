// Documentation per Dockerfile instruction, shared by hover, completion and signature help.
export interface ParameterDoc {
  /** As shown in the signature, e.g. `<src>...`. */
  label: string;
  summary: string;
}

export interface InstructionDoc {
  syntax: string;
  summary: string;
  createsLayer: 'always' | 'never' | 'sometimes';
  /** Positional arguments after the flags, in order (the last one repeats when its label ends in `...`). */
  parameters: readonly ParameterDoc[];
  /** LSP snippet inserted by completion (after the keyword). */
  snippet: string;
}

const REFERENCE = 'https://docs.docker.com/reference/dockerfile/';

const p = (label: string, summary: string): ParameterDoc => ({ label, summary });

export const instructionDocs: Readonly<Record<string, InstructionDoc>> = {
  FROM: {
    syntax: 'FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]', summary: 'Starts a build stage from a base image, another stage, or `scratch`.', createsLayer: 'never',
    parameters: [p('<image>[:<tag>|@<digest>]', 'Base image, an earlier stage\'s name, or `scratch`.'), p('AS', 'Names the stage.'), p('<name>', 'Stage name, for `FROM <name>`, `COPY --from=<name>` and `--target`.')],
    snippet: '${1:image}:${2:tag}${3: AS ${4:name}}',
  },
  RUN: {
    syntax: 'RUN [--mount=...] [--network=...] [--security=...] <command> | ["exec", "form"]', summary: 'Runs a command in a container over the current image and commits the changed files as a new layer.', createsLayer: 'always',
    parameters: [p('<command>', 'Shell command (run by the stage\'s SHELL), a JSON array of arguments, or a heredoc `<<EOF`.')],
    snippet: '${1:command}',
  },
  CMD: {
    syntax: 'CMD ["executable","param"] | CMD command param', summary: 'Sets the default command (or default ENTRYPOINT arguments) of the image. Metadata only.', createsLayer: 'never',
    parameters: [p('["executable", "param"...]', 'The command as a JSON array (exec form, recommended) or a shell command.')],
    snippet: '["${1:executable}"${2:, "${3:param}"}]',
  },
  LABEL: {
    syntax: 'LABEL <key>=<value> [<key>=<value> ...]', summary: 'Adds key-value metadata to the image config.', createsLayer: 'never',
    parameters: [p('<key>=<value>...', 'Label key (e.g. `org.opencontainers.image.source`) and value.')],
    snippet: '${1:org.opencontainers.image.source}="${2:value}"',
  },
  MAINTAINER: {
    syntax: 'MAINTAINER <name>', summary: 'Deprecated: sets the author field. Use `LABEL org.opencontainers.image.authors=...`.', createsLayer: 'never',
    parameters: [p('<name>', 'Author name and address.')],
    snippet: '${1:name}',
  },
  EXPOSE: {
    syntax: 'EXPOSE <port>[/<protocol>] ...', summary: 'Documents the ports the container listens on (tcp by default). Metadata only.', createsLayer: 'never',
    parameters: [p('<port>[/<protocol>]...', 'Port number or range, optionally `/tcp` or `/udp`.')],
    snippet: '${1:8080}',
  },
  ENV: {
    syntax: 'ENV <key>=<value> [<key>=<value> ...]', summary: 'Sets environment variables for later instructions and for containers run from the image.', createsLayer: 'never',
    parameters: [p('<key>=<value>...', 'Variable name and value.')],
    snippet: '${1:KEY}=${2:value}',
  },
  ADD: {
    syntax: 'ADD [--chown=..] [--chmod=..] [--link] [--checksum=..] [--keep-git-dir] [--unpack] [--exclude=..] <src>... <dest>', summary: 'Copies files, URLs or git repositories into the image; local tar archives are extracted. Prefer COPY for plain files.', createsLayer: 'always',
    parameters: [p('<src>...', 'Context path, URL or git repository.'), p('<dest>', 'Destination in the image (relative to WORKDIR).')],
    snippet: '${1:src} ${2:dest}',
  },
  COPY: {
    syntax: 'COPY [--from=<stage|image>] [--chown=..] [--chmod=..] [--link] [--parents] [--exclude=..] <src>... <dest>', summary: 'Copies files from the build context, another stage or an image into a new layer.', createsLayer: 'always',
    parameters: [p('<src>...', 'Path in the context (or in `--from`); wildcards allowed.'), p('<dest>', 'Destination in the image (relative to WORKDIR); a trailing `/` makes it a directory.')],
    snippet: '${1:src} ${2:dest}',
  },
  ENTRYPOINT: {
    syntax: 'ENTRYPOINT ["executable","param"] | ENTRYPOINT command param', summary: 'Sets the executable that containers run; CMD supplies its default arguments. Metadata only.', createsLayer: 'never',
    parameters: [p('["executable", "param"...]', 'The executable as a JSON array (exec form, recommended) or a shell command.')],
    snippet: '["${1:executable}"${2:, "${3:param}"}]',
  },
  VOLUME: {
    syntax: 'VOLUME ["/data"] | VOLUME /data ...', summary: 'Declares mount points for externally mounted volumes. Metadata only.', createsLayer: 'never',
    parameters: [p('<path>...', 'Mount point inside the container.')],
    snippet: '${1:/data}',
  },
  USER: {
    syntax: 'USER <user>[:<group>]', summary: 'Sets the user (and group) for later RUN, CMD and ENTRYPOINT instructions.', createsLayer: 'never',
    parameters: [p('<user>[:<group>]', 'User name or id, optionally with a group name or id.')],
    snippet: '${1:user}',
  },
  WORKDIR: {
    syntax: 'WORKDIR <path>', summary: 'Sets the working directory for later instructions; creates it (a small layer) when it does not exist yet.', createsLayer: 'sometimes',
    parameters: [p('<path>', 'Absolute path (a relative one is relative to the previous WORKDIR).')],
    snippet: '${1:/app}',
  },
  ARG: {
    syntax: 'ARG <name>[=<default>] ...', summary: 'Declares a build argument, settable with `--build-arg`. Before the first FROM it is global and visible only in FROM lines.', createsLayer: 'never',
    parameters: [p('<name>[=<default>]...', 'Argument name and optional default value.')],
    snippet: '${1:NAME}${2:=${3:default}}',
  },
  ONBUILD: {
    syntax: 'ONBUILD <INSTRUCTION>', summary: 'Records an instruction that runs when the image is used as the base of another build.', createsLayer: 'never',
    parameters: [p('<INSTRUCTION>', 'Any instruction except FROM, ONBUILD and MAINTAINER.')],
    snippet: '${1:RUN} ${2:command}',
  },
  STOPSIGNAL: {
    syntax: 'STOPSIGNAL <signal>', summary: 'Sets the signal sent to stop the container (SIGTERM by default).', createsLayer: 'never',
    parameters: [p('<signal>', 'Signal name (`SIGTERM`, `SIGINT`, `SIGQUIT`...) or number.')],
    snippet: '${1|SIGTERM,SIGINT,SIGQUIT,SIGKILL,SIGHUP,SIGUSR1|}',
  },
  HEALTHCHECK: {
    syntax: 'HEALTHCHECK [--interval=..] [--timeout=..] [--start-period=..] [--start-interval=..] [--retries=..] CMD <command> | HEALTHCHECK NONE', summary: 'Tells how to test that the container is still working, or disables an inherited check.', createsLayer: 'never',
    parameters: [p('CMD | NONE', '`CMD` followed by the check command, or `NONE` to disable an inherited check.'), p('<command>', 'Exit 0: healthy, 1: unhealthy.')],
    snippet: '--interval=${1:30s} --timeout=${2:5s} CMD ${3:curl -f http://localhost/ || exit 1}',
  },
  SHELL: {
    syntax: 'SHELL ["executable", "parameters"]', summary: 'Sets the shell used by the shell form of RUN, CMD and ENTRYPOINT.', createsLayer: 'never',
    parameters: [p('["executable", "parameters"...]', 'JSON array, e.g. `["/bin/bash", "-o", "pipefail", "-c"]`.')],
    snippet: '["${1:/bin/bash}", "${2:-o}", "${3:pipefail}", "-c"]',
  },
};

export function instructionReferenceUrl(name: string): string {
  return `${REFERENCE}#${name.toLowerCase()}`;
}

/** Build args BuildKit defines without an ARG (visible in FROM; in a stage after `ARG <name>`). */
export const predefinedArgs: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'Platform of the build result, e.g. `linux/arm64`.',
  TARGETOS: 'OS of TARGETPLATFORM.',
  TARGETARCH: 'Architecture of TARGETPLATFORM.',
  TARGETVARIANT: 'Variant of TARGETPLATFORM (e.g. `v7`).',
  BUILDPLATFORM: 'Platform of the node running the build.',
  BUILDOS: 'OS of BUILDPLATFORM.',
  BUILDARCH: 'Architecture of BUILDPLATFORM.',
  BUILDVARIANT: 'Variant of BUILDPLATFORM.',
  TARGETSTAGE: 'Name of the stage being built.',
  HTTP_PROXY: 'Proxy for HTTP (not stored in the image history).',
  HTTPS_PROXY: 'Proxy for HTTPS (not stored in the image history).',
  FTP_PROXY: 'Proxy for FTP (not stored in the image history).',
  NO_PROXY: 'Hosts that bypass the proxy (not stored in the image history).',
  ALL_PROXY: 'Proxy for all protocols (not stored in the image history).',
};
