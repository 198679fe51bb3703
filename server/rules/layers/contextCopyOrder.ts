// ContextCopiedBeforeDependencies: `COPY . .` before the dependency installation means every
// source change invalidates the cache of the (slow) install step.
import type { LintContext } from '../lintContext';
import type { Rule } from '../rule';
import { scriptInvocations } from '../practice/runCommands';
import { parseArgs, type Invocation } from '../shell/invocation';

const WHOLE_CONTEXT = new Set(['.', './', '*', './*', '/', '/.']);
const INSTALL_VALUES: ReadonlySet<string> = new Set(['-r', '--requirement', '-C', '--prefix', '--cache']);
const INSTALLERS = new Set(['npm', 'yarn', 'pnpm', 'poetry', 'pipenv', 'uv', 'bundle', 'go', 'composer', 'cargo', 'mvn', 'mvnw', 'dotnet', 'mix']);

interface Installer {
  label: string;
  manifests: string;
}

/** The dependency installation an invocation performs, if any. */
export function dependencyInstall(inv: Invocation): Installer | undefined {
  const p = parseArgs(inv.args, INSTALL_VALUES);
  const sub = p.subcommand?.value;
  switch (inv.name) {
    case 'npm':
      if ((sub === 'install' || sub === 'i' || sub === 'ci' || sub === 'clean-install') && p.operands.length === 0) return { label: `npm ${sub}`, manifests: 'package.json and package-lock.json' };
      return undefined;
    case 'yarn':
      if (sub === undefined || sub === 'install') return { label: 'yarn install', manifests: 'package.json and yarn.lock' };
      return undefined;
    case 'pnpm':
      if (sub === 'install' || sub === 'i') return { label: 'pnpm install', manifests: 'package.json and pnpm-lock.yaml' };
      return undefined;
    case 'poetry':
      return sub === 'install' ? { label: 'poetry install', manifests: 'pyproject.toml and poetry.lock' } : undefined;
    case 'pipenv':
      return sub === 'install' || sub === 'sync' ? { label: `pipenv ${sub}`, manifests: 'Pipfile and Pipfile.lock' } : undefined;
    case 'uv':
      return sub === 'sync' ? { label: 'uv sync', manifests: 'pyproject.toml and uv.lock' } : undefined;
    case 'bundle':
      return sub === 'install' ? { label: 'bundle install', manifests: 'Gemfile and Gemfile.lock' } : undefined;
    case 'go':
      return sub === 'mod' && p.operands[0]?.value === 'download' ? { label: 'go mod download', manifests: 'go.mod and go.sum' } : undefined;
    case 'composer':
      return sub === 'install' ? { label: 'composer install', manifests: 'composer.json and composer.lock' } : undefined;
    case 'cargo':
      return sub === 'fetch' ? { label: 'cargo fetch', manifests: 'Cargo.toml and Cargo.lock' } : undefined;
    case 'mvn':
    case 'mvnw':
      return inv.args.some((w) => /^dependency:(go-offline|resolve)/.test(w.value)) ? { label: 'mvn dependency:go-offline', manifests: 'pom.xml' } : undefined;
    case 'dotnet':
      return sub === 'restore' ? { label: 'dotnet restore', manifests: 'the project files (*.csproj)' } : undefined;
    case 'mix':
      return sub === 'deps.get' ? { label: 'mix deps.get', manifests: 'mix.exs and mix.lock' } : undefined;
    default:
      if (/^pip\d*(\.\d+)?$/.test(inv.name) && sub === 'install' && inv.args.some((w) => w.value === '-r' || w.value === '--requirement' || w.value.startsWith('--requirement='))) {
        return { label: 'pip install -r', manifests: 'the requirements file' };
      }
      return undefined;
  }
}

export const contextCopiedBeforeDependencies: Rule = {
  scope: 'stage',
  wordsLines: true,
  meta: {
    code: 'ContextCopiedBeforeDependencies',
    title: 'Whole build context copied before dependency installation',
    explanation: 'Layer caches are invalidated in order: after `COPY . .` any source edit re-runs the dependency install below it.',
    fix: 'Copy only the dependency manifests, install, then copy the rest of the sources.',
    href: 'https://docs.docker.com/build/cache/optimize/#order-your-layers',
    origin: 'layerlens',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      let copy: { index: number; sourceIndex: number } | undefined;
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if (!copy && (instruction.name === 'COPY' || instruction.name === 'ADD') && !instruction.flags.some((f) => f.name === 'from')) {
          const k = instruction.args.slice(0, -1).findIndex((w) => WHOLE_CONTEXT.has(w.value));
          if (k >= 0) copy = { index: i, sourceIndex: k };
          continue;
        }
        if (!copy || instruction.name !== 'RUN') continue;
        const script = ctx.runScript(i);
        if (!script) continue;
        let installer: Installer | undefined;
        for (const invocation of scriptInvocations(script)) {
          installer = INSTALLERS.has(invocation.name) || /^pip/.test(invocation.name) ? dependencyInstall(invocation) : undefined;
          if (installer) break;
        }
        if (!installer) continue;
        const copyInstruction = ctx.instructions[copy.index];
        ctx.report({
          code: 'ContextCopiedBeforeDependencies',
          range: copyInstruction.args[copy.sourceIndex].range,
          message: `The whole build context is copied before the dependency installation on line ${instruction.range.start.line + 1} (${installer.label}): every source change re-runs it. Copy ${installer.manifests} first, install, then copy the rest`,
          instructionIndex: copy.index,
        });
        copy = undefined;
      }
    }
  },
};
