// apt-get rules (hadolint DL3005, DL3008, DL3009, DL3014, DL3015, DL3027).
import { replace } from '../edits';
import type { LintContext } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';
import { hasOption, parseArgs, type Invocation, type ParsedArgs } from '../shell/invocation';
import type { ShellWord } from '../../parser/shell/shellCommands';
import { appendCommandFix, hasCacheMountOver, insertAfter, invocationRange, invocationsNamed, scriptInvocations, shipsInImage } from './runCommands';

const APT = new Set(['apt-get', 'apt']);
const isApt = (name: string) => APT.has(name);
const WITH_VALUE = new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture']);

interface AptUse {
  parsed: ParsedArgs;
  sub: ShellWord;
}

function aptUse(invocation: Invocation): AptUse | undefined {
  if (!APT.has(invocation.name)) return undefined;
  const parsed = parseArgs(invocation.args, WITH_VALUE);
  return parsed.subcommand ? { parsed, sub: parsed.subcommand } : undefined;
}

/** `-o APT::Install-Recommends=false` and similar option values. */
function aptOptionValues(invocation: Invocation): string[] {
  const out: string[] = [];
  invocation.args.forEach((w, i) => {
    if ((w.value === '-o' || w.value === '--option') && invocation.args[i + 1]) out.push(invocation.args[i + 1].value);
    else if (w.value.startsWith('--option=')) out.push(w.value.slice('--option='.length));
    else if (w.value.startsWith('-o') && w.value.length > 2) out.push(w.value.slice(2));
  });
  return out;
}

function isPinned(pkg: string): boolean {
  return pkg.includes('=') || pkg.includes('/') || pkg.endsWith('.deb') || pkg.includes('$') || pkg.startsWith('-');
}

export const aptPinVersions: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptPinVersions',
    title: 'Pin versions in apt-get install',
    explanation: 'Unpinned packages make builds unreproducible: the next build silently gets whatever version the mirror has.',
    fix: 'Install `package=version` (see `apt-cache policy package`).',
    href: hadolintDocs('DL3008'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3008'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, isApt)) {
      const use = aptUse(invocation);
      if (!use || use.sub.value !== 'install') continue;
      const loose = use.parsed.operands.filter((w) => !isPinned(w.value));
      if (loose.length === 0) continue;
      ctx.report({
        code: 'AptPinVersions',
        range: script.rangeAt(loose[0].start, loose[loose.length - 1].end),
        message: `Pin versions in ${invocation.name} install (e.g. ${loose[0].value}=<version>): ${loose.map((w) => w.value).join(', ')}`,
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

export const aptNoInstallRecommends: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptNoInstallRecommends',
    title: 'Avoid additional packages by specifying --no-install-recommends',
    explanation: 'Without it apt installs every recommended package too, which often doubles the layer size.',
    fix: 'Add `--no-install-recommends` to `apt-get install`.',
    href: hadolintDocs('DL3015'),
    origin: 'layerlens',
    defaultSeverity: 'information',
    hadolint: ['DL3015'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, isApt)) {
      const use = aptUse(invocation);
      if (!use || use.sub.value !== 'install') continue;
      if (hasOption(use.parsed.options, ['--no-install-recommends'])) continue;
      if (aptOptionValues(invocation).some((v) => /^APT::Install-Recommends=(false|0|no)$/i.test(v))) continue;
      ctx.report({
        code: 'AptNoInstallRecommends',
        range: invocationRange(script, invocation, use.sub),
        message: `${invocation.name} install without --no-install-recommends installs recommended packages too`,
        instructionIndex: script.instructionIndex,
        fixes: [{ title: 'Add --no-install-recommends', edits: [insertAfter(script, use.sub, '--no-install-recommends')], preferred: true }],
      });
    }
  },
};

/** apt's quiet level: each `-q` (also clustered, `-qq`, `-yq`) and `--quiet` adds one, `-q=N`/`--quiet=N` sets it; 2 or more implies -y. */
export function aptQuietLevel(options: readonly { value: string }[]): number {
  let level = 0;
  for (const { value } of options) {
    const set = /^(?:-q|--quiet)=(\d+)$/.exec(value);
    if (set) level = Number(set[1]);
    else if (value === '--quiet') level++;
    else if (/^-[A-Za-z]+$/.test(value)) level += value.split('q').length - 1;
  }
  return level;
}

export const aptGetAssumeYes: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptAssumeYes',
    title: 'Use the -y switch with apt-get install',
    explanation: 'Without `-y` apt-get asks for confirmation, which aborts a non-interactive build.',
    fix: 'Add `-y` to `apt-get install`.',
    href: hadolintDocs('DL3014'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3014'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, isApt)) {
      const use = aptUse(invocation);
      if (!use || use.sub.value !== 'install') continue;
      const options = use.parsed.options;
      if (hasOption(options, ['--yes', '--assume-yes'], 'y') || aptQuietLevel(options) >= 2) continue;
      if (aptOptionValues(invocation).some((v) => /^APT::Get::Assume-Yes=(true|1|yes)$/i.test(v))) continue;
      ctx.report({
        code: 'AptAssumeYes',
        range: invocationRange(script, invocation, use.sub),
        message: `${invocation.name} install without -y waits for a confirmation the build cannot give`,
        instructionIndex: script.instructionIndex,
        fixes: [{ title: 'Add -y', edits: [insertAfter(script, use.sub, '-y')], preferred: true }],
      });
    }
  },
};

const LISTS = '/var/lib/apt/lists';

export const aptListsNotCleaned: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptListsNotCleaned',
    title: 'Delete the apt-get lists after installing something',
    explanation: '`apt-get update` downloads package lists (tens of MB) into the layer; they must be removed in the same RUN to keep them out of the image.',
    fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*` (or use a cache mount).',
    href: hadolintDocs('DL3009'),
    origin: 'layerlens',
    defaultSeverity: 'information',
    hadolint: ['DL3009'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      if (!shipsInImage(ctx, stage)) continue;
      for (const script of ctx.runScripts(stage)) {
        let update: { invocation: Invocation; sub: ShellWord } | undefined;
        let cleaned = false;
        for (const inv of scriptInvocations(script)) {
          const use = aptUse(inv);
          if (use && use.sub.value === 'update' && !update) update = { invocation: inv, sub: use.sub };
          if (inv.name === 'rm' && inv.args.some((w) => w.value.startsWith(LISTS))) cleaned = true;
        }
        if (!update || cleaned) continue;
        const instruction = ctx.instructions[script.instructionIndex];
        if (hasCacheMountOver(instruction, [LISTS])) continue;
        const fix = appendCommandFix(script, 'rm -rf /var/lib/apt/lists/*', 'Remove /var/lib/apt/lists/* at the end of this RUN');
        ctx.report({
          code: 'AptListsNotCleaned',
          range: invocationRange(script, update.invocation, update.sub),
          message: `${update.invocation.name} update leaves /var/lib/apt/lists in this layer; remove it in the same RUN`,
          instructionIndex: script.instructionIndex,
          fixes: fix ? [{ ...fix, preferred: true }] : undefined,
        });
      }
    }
  },
};

export const aptUpgrade: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptUpgrade',
    title: 'Do not use apt-get upgrade or dist-upgrade',
    explanation: 'Upgrading every package inside a build makes the image depend on the day it was built; update the base image instead.',
    fix: 'Use a newer base image tag, or install the specific package versions needed.',
    href: hadolintDocs('DL3005'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3005'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, isApt)) {
      const use = aptUse(invocation);
      if (!use || !['upgrade', 'dist-upgrade', 'full-upgrade'].includes(use.sub.value)) continue;
      ctx.report({
        code: 'AptUpgrade',
        range: invocationRange(script, invocation, use.sub),
        message: `Do not use ${invocation.name} ${use.sub.value}; use a newer base image instead`,
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

const APT_GET_EQUIVALENT = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove', 'dist-upgrade', 'full-upgrade', 'clean', 'autoclean']);

export const aptInsteadOfAptGet: Rule = {
  scope: 'stage',
  meta: {
    code: 'AptInsteadOfAptGet',
    title: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
    explanation: '`apt` has no stable command-line interface and warns about it in scripts; `apt-get` is meant for automation.',
    fix: 'Replace `apt` with `apt-get` (or `apt-cache` for searches).',
    href: hadolintDocs('DL3027'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3027'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, (n) => n === 'apt')) {
      const sub = parseArgs(invocation.args, WITH_VALUE).subcommand;
      const mapped = sub && APT_GET_EQUIVALENT.has(sub.value);
      const nameRange = script.rangeAt(invocation.nameWord.start, invocation.nameWord.end);
      ctx.report({
        code: 'AptInsteadOfAptGet',
        range: nameRange,
        message: 'Do not use apt in scripts; use apt-get or apt-cache instead',
        instructionIndex: script.instructionIndex,
        fixes: mapped ? [{ title: 'Replace apt with apt-get', edits: [replace(nameRange, invocation.nameWord.text.replace(/apt$/, 'apt-get'))], preferred: true }] : undefined,
      });
    }
  },
};
