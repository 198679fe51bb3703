// pip, npm and apk rules: caches left in layers and unpinned packages (hadolint DL3013, DL3016,
// DL3018, DL3019, DL3042; the npm cache rule is ours).
import type { LintContext } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';
import { hasOption, parseArgs, type Invocation, type ParsedArgs } from '../shell/invocation';
import type { ShellWord } from '../../parser/shell/shellCommands';
import { appendCommandFix, envSet, hasCacheMountOver, insertAfter, invocationRange, invocationsNamed, scriptInvocations, shipsInImage } from './runCommands';

const PIP_WITH_VALUE = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--src', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi', '--progress-bar', '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--cache-dir', '--upgrade-strategy', '--global-option', '--install-option', '--config-settings', '-C', '--only-binary', '--no-binary']);

const isPipHost = (name: string) => /^(pip|python)(\d+(\.\d+)?)?$/.test(name);

/** `pip install ...`, `pip3 ...`, `python3 -m pip ...`: the pip arguments. */
function pipArgs(invocation: Invocation): ShellWord[] | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(invocation.name)) return invocation.args;
  if (/^python(\d+(\.\d+)?)?$/.test(invocation.name)) {
    const m = invocation.args.findIndex((w) => w.value === '-m');
    if (m >= 0 && invocation.args[m + 1]?.value === 'pip') return invocation.args.slice(m + 2);
  }
  return undefined;
}

function pipInstall(invocation: Invocation): ParsedArgs | undefined {
  const args = pipArgs(invocation);
  if (!args) return undefined;
  const parsed = parseArgs(args, PIP_WITH_VALUE);
  return parsed.subcommand?.value === 'install' ? parsed : undefined;
}

export const pipNoCacheDir: Rule = {
  scope: 'stage',
  meta: {
    code: 'PipNoCacheDir',
    title: 'Avoid cache directory with pip install --no-cache-dir',
    explanation: "pip keeps every downloaded wheel in ~/.cache/pip, which stays in the layer and is never used again in the image.",
    fix: 'Add `--no-cache-dir` (or set `PIP_NO_CACHE_DIR=1`, or use a cache mount).',
    href: hadolintDocs('DL3042'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3042'],
  },
  check(ctx: LintContext) {
    for (const { stage, script, invocation } of invocationsNamed(ctx, isPipHost)) {
      const parsed = pipInstall(invocation);
      if (!parsed || !parsed.subcommand || !shipsInImage(ctx, stage)) continue;
      if (hasOption(parsed.options, ['--no-cache-dir', '--cache-dir']) || envSet(ctx, script, invocation, 'PIP_NO_CACHE_DIR')) continue;
      if (hasCacheMountOver(ctx.instructions[script.instructionIndex], ['/root/.cache/pip'])) continue;
      ctx.report({
        code: 'PipNoCacheDir',
        range: invocationRange(script, invocation, parsed.subcommand),
        message: 'pip install keeps its download cache in this layer; add --no-cache-dir',
        instructionIndex: script.instructionIndex,
        fixes: [{ title: 'Add --no-cache-dir', edits: [insertAfter(script, parsed.subcommand, '--no-cache-dir')], preferred: true }],
      });
    }
  },
};

function pipPinned(spec: string): boolean {
  return /(==|>=|<=|~=|!=|<|>|@)/.test(spec) || spec.includes('/') || spec.startsWith('.') || spec.includes('$') || /\.(whl|zip|tar\.gz|tgz)$/.test(spec);
}

export const pipPinVersions: Rule = {
  scope: 'stage',
  meta: {
    code: 'PipPinVersions',
    title: 'Pin versions in pip',
    explanation: 'Unpinned pip packages make builds unreproducible and can break on a new release.',
    fix: 'Install `package==version`, or install from a pinned requirements file.',
    href: hadolintDocs('DL3013'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3013'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, isPipHost)) {
      const parsed = pipInstall(invocation);
      if (!parsed) continue;
      const loose = parsed.operands.filter((w) => !pipPinned(w.value));
      if (loose.length === 0) continue;
      ctx.report({
        code: 'PipPinVersions',
        range: script.rangeAt(loose[0].start, loose[loose.length - 1].end),
        message: `Pin versions in pip install (e.g. ${loose[0].value}==<version>): ${loose.map((w) => w.value).join(', ')}`,
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

const NPM_INSTALL = new Set(['install', 'i', 'add', 'isntall', 'in', 'ins', 'inst', 'insta', 'instal', 'ci', 'clean-install']);
const NPM_WITH_VALUE = new Set(['--cache', '--registry', '--prefix', '-C', '--omit', '--include', '--workspace', '-w', '--tag']);

function npmInstall(invocation: Invocation): ParsedArgs | undefined {
  if (invocation.name !== 'npm') return undefined;
  const parsed = parseArgs(invocation.args, NPM_WITH_VALUE);
  return parsed.subcommand && NPM_INSTALL.has(parsed.subcommand.value) ? parsed : undefined;
}

export const npmCacheNotCleaned: Rule = {
  scope: 'stage',
  meta: {
    code: 'NpmCacheNotCleaned',
    title: 'npm cache left in the layer',
    explanation: 'npm install/ci stores every downloaded tarball in ~/.npm; unless removed in the same RUN it ships in the image.',
    fix: 'End the RUN with `&& npm cache clean --force`, or use `RUN --mount=type=cache,target=/root/.npm`.',
    href: 'https://docs.npmjs.com/cli/commands/npm-cache',
    origin: 'layerlens',
    defaultSeverity: 'information',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      if (!shipsInImage(ctx, stage)) continue;
      for (const script of ctx.runScripts(stage)) {
        let install: { invocation: Invocation; sub: ShellWord } | undefined;
        let cleaned = false;
        for (const inv of scriptInvocations(script)) {
          const parsed = npmInstall(inv);
          if (parsed?.subcommand && !install && !hasOption(parsed.options, ['--cache'])) install = { invocation: inv, sub: parsed.subcommand };
          if (inv.name === 'npm' && inv.args.some((w) => w.value === 'cache') && inv.args.some((w) => w.value === 'clean')) cleaned = true;
          if (inv.name === 'rm' && inv.args.some((w) => /(^|\/)\.npm(\/|$)/.test(w.value))) cleaned = true;
        }
        if (!install || cleaned) continue;
        if (envSet(ctx, script, install.invocation, 'npm_config_cache') || envSet(ctx, script, install.invocation, 'NPM_CONFIG_CACHE')) continue;
        if (hasCacheMountOver(ctx.instructions[script.instructionIndex], ['/root/.npm'])) continue;
        const fix = appendCommandFix(script, 'npm cache clean --force', 'Clean the npm cache at the end of this RUN');
        ctx.report({
          code: 'NpmCacheNotCleaned',
          range: invocationRange(script, install.invocation, install.sub),
          message: `npm ${install.sub.value} leaves its cache (~/.npm) in this layer; run npm cache clean --force in the same RUN`,
          instructionIndex: script.instructionIndex,
          fixes: fix ? [{ ...fix, preferred: true }] : undefined,
        });
      }
    }
  },
};

function npmPinned(spec: string): boolean {
  const at = spec.lastIndexOf('@');
  return at > 0 || spec.includes('/') && !spec.startsWith('@') || spec.startsWith('.') || spec.includes(':') || spec.includes('$') || /\.(tgz|tar\.gz)$/.test(spec);
}

export const npmPinVersions: Rule = {
  scope: 'stage',
  meta: {
    code: 'NpmPinVersions',
    title: 'Pin versions in npm',
    explanation: 'Packages installed by name get whatever is latest at build time; the lock file does not cover them.',
    fix: 'Install `package@version`.',
    href: hadolintDocs('DL3016'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3016'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, (n) => n === 'npm')) {
      const parsed = npmInstall(invocation);
      if (!parsed) continue;
      const loose = parsed.operands.filter((w) => !npmPinned(w.value));
      if (loose.length === 0) continue;
      ctx.report({
        code: 'NpmPinVersions',
        range: script.rangeAt(loose[0].start, loose[loose.length - 1].end),
        message: `Pin versions in npm ${parsed.subcommand?.value ?? 'install'} (e.g. ${loose[0].value}@<version>): ${loose.map((w) => w.value).join(', ')}`,
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

const APK_WITH_VALUE = new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--keys-dir', '--repositories-file', '--cache-dir', '--cache-max-age']);

function apkAdd(invocation: Invocation): ParsedArgs | undefined {
  if (invocation.name !== 'apk') return undefined;
  const parsed = parseArgs(invocation.args, APK_WITH_VALUE);
  return parsed.subcommand?.value === 'add' ? parsed : undefined;
}

export const apkNoCache: Rule = {
  scope: 'stage',
  meta: {
    code: 'ApkNoCache',
    title: 'Use the --no-cache switch with apk add',
    explanation: 'Without `--no-cache` apk keeps its index and packages in /var/cache/apk, which ships in the layer.',
    fix: 'Use `apk add --no-cache ...` (no `apk update` needed).',
    href: hadolintDocs('DL3019'),
    origin: 'layerlens',
    defaultSeverity: 'information',
    hadolint: ['DL3019'],
  },
  check(ctx: LintContext) {
    for (const { stage, script, invocation } of invocationsNamed(ctx, (n) => n === 'apk')) {
      const parsed = apkAdd(invocation);
      if (!parsed?.subcommand || !shipsInImage(ctx, stage) || hasOption(parsed.options, ['--no-cache'])) continue;
      const cleaned = script.parsed().commands.some((c) => c.words[0]?.value === 'rm' && c.words.some((w) => w.value.startsWith('/var/cache/apk')));
      if (cleaned || hasCacheMountOver(ctx.instructions[script.instructionIndex], ['/var/cache/apk', '/etc/apk/cache'])) continue;
      ctx.report({
        code: 'ApkNoCache',
        range: invocationRange(script, invocation, parsed.subcommand),
        message: 'apk add without --no-cache leaves the package cache in this layer',
        instructionIndex: script.instructionIndex,
        fixes: [{ title: 'Add --no-cache', edits: [insertAfter(script, parsed.subcommand, '--no-cache')], preferred: true }],
      });
    }
  },
};

export const apkPinVersions: Rule = {
  scope: 'stage',
  meta: {
    code: 'ApkPinVersions',
    title: 'Pin versions in apk add',
    explanation: 'Unpinned apk packages make builds unreproducible.',
    fix: 'Install `package=version`.',
    href: hadolintDocs('DL3018'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3018'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, (n) => n === 'apk')) {
      const parsed = apkAdd(invocation);
      if (!parsed) continue;
      const loose = parsed.operands.filter((w) => !/[=<>~]/.test(w.value) && !w.value.includes('$') && !w.value.endsWith('.apk'));
      if (loose.length === 0) continue;
      ctx.report({
        code: 'ApkPinVersions',
        range: script.rangeAt(loose[0].start, loose[loose.length - 1].end),
        message: `Pin versions in apk add (e.g. ${loose[0].value}=<version>): ${loose.map((w) => w.value).join(', ')}`,
        instructionIndex: script.instructionIndex,
      });
    }
  },
};
