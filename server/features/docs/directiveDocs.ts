// Parser directives (`# syntax=`, `# escape=`, `# check=`) and the build-check names `check=` takes.

export interface DirectiveDoc {
  name: string;
  syntax: string;
  summary: string;
  values: readonly string[];
  url: string;
}

const REFERENCE = 'https://docs.docker.com/reference/dockerfile/';

export const directiveDocs: readonly DirectiveDoc[] = [
  {
    name: 'syntax', syntax: '# syntax=<frontend image>',
    summary: 'The Dockerfile frontend image BuildKit runs to build this file, e.g. `docker/dockerfile:1` (latest 1.x) or `docker/dockerfile:1-labs` (with labs features).',
    values: ['docker/dockerfile:1', 'docker/dockerfile:1-labs', 'docker/dockerfile:1.19', 'docker/dockerfile-upstream:master'],
    url: `${REFERENCE}#syntax`,
  },
  {
    name: 'escape', syntax: '# escape=<\\ or `>',
    summary: 'The escape and line-continuation character: `\\` (default) or `` ` `` (convenient on Windows, where `\\` separates paths).',
    values: ['\\', '`'],
    url: `${REFERENCE}#escape`,
  },
  {
    name: 'check', syntax: '# check=skip=<checks|all>[;error=<true|false>][;experimental=<checks|all>]',
    summary: 'Configures build checks: `skip` disables the listed checks, `error=true` fails the build on a check violation, `experimental` enables experimental checks.',
    values: ['skip=', 'error=true', 'experimental='],
    url: `${REFERENCE}#check`,
  },
];

/** BuildKit's build-check names (`docker build --check`), for `# check=skip=`. */
export const buildCheckNames: readonly string[] = [
  'ConsistentInstructionCasing', 'CopyIgnoredFile', 'DuplicateStageName', 'ExposeInvalidFormat', 'ExposeProtoCasing',
  'FromAsCasing', 'FromPlatformFlagConstDisallowed', 'InvalidBaseImagePlatform', 'InvalidDefaultArgInFrom',
  'InvalidDefinitionDescription', 'JSONArgsRecommended', 'LegacyKeyValueFormat', 'MaintainerDeprecated',
  'MultipleInstructionsDisallowed', 'NoEmptyContinuation', 'RedundantTargetPlatform', 'ReservedStageName',
  'SecretsUsedInArgOrEnv', 'StageNameCasing', 'UndefinedArgInFrom', 'UndefinedVar', 'WorkdirRelativePath',
];

export function findDirectiveDoc(name: string): DirectiveDoc | undefined {
  return directiveDocs.find((d) => d.name === name.toLowerCase());
}

export function buildCheckUrl(name: string): string {
  return `https://docs.docker.com/reference/build-checks/${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}/`;
}
