// One paragraph of documentation per Dockerfile instruction, shared by hover and completion.
export interface InstructionDoc {
  syntax: string;
  summary: string;
  createsLayer: 'always' | 'never' | 'sometimes';
}

const REFERENCE = 'https://docs.docker.com/reference/dockerfile/';

export const instructionDocs: Readonly<Record<string, InstructionDoc>> = {
  FROM: { syntax: 'FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]', summary: 'Starts a build stage from a base image, another stage, or `scratch`.', createsLayer: 'never' },
  RUN: { syntax: 'RUN [--mount=...] [--network=...] [--security=...] <command> | ["exec", "form"]', summary: 'Runs a command in a container over the current image and commits the changed files as a new layer.', createsLayer: 'always' },
  CMD: { syntax: 'CMD ["executable","param"] | CMD command param', summary: 'Sets the default command (or default ENTRYPOINT arguments) of the image. Metadata only.', createsLayer: 'never' },
  LABEL: { syntax: 'LABEL <key>=<value> [<key>=<value> ...]', summary: 'Adds key-value metadata to the image config.', createsLayer: 'never' },
  MAINTAINER: { syntax: 'MAINTAINER <name>', summary: 'Deprecated: sets the author field. Use `LABEL org.opencontainers.image.authors=...`.', createsLayer: 'never' },
  EXPOSE: { syntax: 'EXPOSE <port>[/<protocol>] ...', summary: 'Documents the ports the container listens on (tcp by default). Metadata only.', createsLayer: 'never' },
  ENV: { syntax: 'ENV <key>=<value> [<key>=<value> ...]', summary: 'Sets environment variables for later instructions and for containers run from the image.', createsLayer: 'never' },
  ADD: { syntax: 'ADD [--chown=..] [--chmod=..] [--link] [--checksum=..] [--keep-git-dir] <src>... <dest>', summary: 'Copies files, URLs or git repositories into the image; local tar archives are extracted. Prefer COPY for plain files.', createsLayer: 'always' },
  COPY: { syntax: 'COPY [--from=<stage|image>] [--chown=..] [--chmod=..] [--link] [--parents] [--exclude=..] <src>... <dest>', summary: 'Copies files from the build context, another stage or an image into a new layer.', createsLayer: 'always' },
  ENTRYPOINT: { syntax: 'ENTRYPOINT ["executable","param"] | ENTRYPOINT command param', summary: 'Sets the executable that containers run; CMD supplies its default arguments. Metadata only.', createsLayer: 'never' },
  VOLUME: { syntax: 'VOLUME ["/data"] | VOLUME /data ...', summary: 'Declares mount points for externally mounted volumes. Metadata only.', createsLayer: 'never' },
  USER: { syntax: 'USER <user>[:<group>]', summary: 'Sets the user (and group) for later RUN, CMD and ENTRYPOINT instructions.', createsLayer: 'never' },
  WORKDIR: { syntax: 'WORKDIR <path>', summary: 'Sets the working directory for later instructions; creates it (a small layer) when it does not exist yet.', createsLayer: 'sometimes' },
  ARG: { syntax: 'ARG <name>[=<default>] ...', summary: 'Declares a build argument, settable with `--build-arg`. Before the first FROM it is global and visible only in FROM lines.', createsLayer: 'never' },
  ONBUILD: { syntax: 'ONBUILD <INSTRUCTION>', summary: 'Records an instruction that runs when the image is used as the base of another build.', createsLayer: 'never' },
  STOPSIGNAL: { syntax: 'STOPSIGNAL <signal>', summary: 'Sets the signal sent to stop the container (SIGTERM by default).', createsLayer: 'never' },
  HEALTHCHECK: { syntax: 'HEALTHCHECK [--interval=..] [--timeout=..] [--start-period=..] [--start-interval=..] [--retries=..] CMD <command> | HEALTHCHECK NONE', summary: 'Tells how to test that the container is still working, or disables an inherited check.', createsLayer: 'never' },
  SHELL: { syntax: 'SHELL ["executable", "parameters"]', summary: 'Sets the shell used by the shell form of RUN, CMD and ENTRYPOINT.', createsLayer: 'never' },
};

export function instructionReferenceUrl(name: string): string {
  return `${REFERENCE}#${name.toLowerCase()}`;
}
