// Shell habits in RUN: `cd` instead of WORKDIR (DL3003), `sudo` (DL3004), pipes without
// pipefail (DL4006), curl and wget both used (DL4001).
import { insert, matchCase } from '../edits';
import type { LintContext } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';
import type { Invocation } from '../shell/invocation';
import type { RunScript } from '../shell/runScript';
import type { QuickFix } from '../types';
import { invocationsNamed, runInvocations, scriptInvocations } from './runCommands';

export const cdInRun: Rule = {
  scope: 'stage',
  meta: {
    code: 'CdInRun',
    title: 'Use WORKDIR to switch to a directory',
    explanation: '`cd` only lasts for one RUN; WORKDIR states the directory once for every later instruction and is visible in the plan.',
    fix: 'Replace `cd dir && ...` with `WORKDIR dir` before the RUN.',
    href: hadolintDocs('DL3003'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3003'],
  },
  check(ctx: LintContext) {
    for (const { script, invocation } of invocationsNamed(ctx, (n) => n === 'cd')) {
      if (invocation.command.nested) continue;
      ctx.report({
        code: 'CdInRun',
        range: script.rangeAt(invocation.nameWord.start, invocation.nameWord.end),
        message: 'Use WORKDIR to switch to a directory instead of cd',
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

export const sudoInRun: Rule = {
  scope: 'stage',
  meta: {
    code: 'SudoInRun',
    title: 'Do not use sudo',
    explanation: 'RUN already runs as the current USER; sudo adds a setuid binary, a TTY-dependent config and unpredictable environments.',
    fix: 'Switch with `USER root` around the commands that need it (or use gosu at run time).',
    href: hadolintDocs('DL3004'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3004'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) for (const script of ctx.runScripts(stage)) for (const invocation of scriptInvocations(script)) {
      if (!invocation.sudo) continue;
      ctx.report({
        code: 'SudoInRun',
        range: script.rangeAt(invocation.sudo.start, invocation.sudo.end),
        message: 'Do not use sudo in RUN; switch users with USER instead',
        instructionIndex: script.instructionIndex,
      });
    }
  },
};

function pipefailShell(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === 'pipefail' && i > 0 && /^-[a-z]*o$/.test(argv[i - 1]));
}

export const pipefailMissing: Rule = {
  scope: 'stage',
  meta: {
    code: 'PipefailMissing',
    title: 'Set the SHELL option -o pipefail before RUN with a pipe in it',
    explanation: 'A pipeline fails only if its last command fails, so `curl ... | tar x` hides a failed download and the build goes on.',
    fix: 'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN (or `set -o pipefail &&` in bash).',
    href: hadolintDocs('DL4006'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL4006'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      for (const script of ctx.runScripts(stage)) {
        if (pipefailShell(ctx.shellOf(script.instructionIndex))) continue;
        const commands = script.parsed().commands.filter((c) => !c.nested);
        let pipefail = false;
        for (let k = 0; k < commands.length; k++) {
          const c = commands[k];
          const words = c.words;
          if (words[0]?.value === 'set' && words.some((w, j) => w.value === 'pipefail' && j > 0 && /^-[a-z]*o$/.test(words[j - 1].value))) pipefail = true;
          if (pipefail || (c.after !== '|' && c.after !== '|&')) continue;
          const next = commands[k + 1];
          ctx.report({
            code: 'PipefailMissing',
            range: script.rangeAt(c.start, next ? next.end : c.end),
            message: 'This pipeline hides failures of its first commands; set -o pipefail in SHELL (or with set) before it',
            instructionIndex: script.instructionIndex,
            fixes: () => pipefailFixes(ctx, script),
          });
          break;
        }
      }
    }
  },
};

function pipefailFixes(ctx: LintContext, script: RunScript): QuickFix[] {
  const instruction = ctx.instructions[script.instructionIndex];
  const fixes: QuickFix[] = [];
  const indent = ' '.repeat(instruction.keyword.range.start.character);
  fixes.push({
    title: 'Insert SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN',
    edits: [insert({ line: instruction.range.start.line, character: 0 }, `${indent}${matchCase(instruction.keyword.text, 'SHELL')} ["/bin/bash", "-o", "pipefail", "-c"]\n`)],
  });
  const first = script.codeRegions[0];
  if (script.dialect === 'bash' && first && instruction.heredocs.length === 0) {
    fixes.unshift({ title: 'Start the RUN with set -o pipefail', edits: [insert(script.positionAt(first.start), 'set -o pipefail && ')], preferred: true });
  }
  return fixes;
}

export const curlAndWget: Rule = {
  scope: 'stage',
  wordsLines: true,
  meta: {
    code: 'CurlAndWget',
    title: 'Either use wget or curl but not both',
    explanation: 'Two download tools in one image means two sets of dependencies and certificates to keep up to date.',
    fix: 'Use one of them for every download in the stage.',
    href: hadolintDocs('DL4001'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL4001'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      const uses: Record<'curl' | 'wget', { script: RunScript; invocation: Invocation }[]> = { curl: [], wget: [] };
      for (const { script, invocation } of runInvocations(ctx, stage)) {
        if (invocation.name === 'curl' || invocation.name === 'wget') uses[invocation.name].push({ script, invocation });
      }
      if (uses.curl.length === 0 || uses.wget.length === 0) continue;
      const firstOf = (tool: 'curl' | 'wget') => uses[tool][0].invocation.nameWord.start + uses[tool][0].script.instructionIndex * 1e9;
      const minority: 'curl' | 'wget' = uses.curl.length !== uses.wget.length ? (uses.curl.length < uses.wget.length ? 'curl' : 'wget') : firstOf('curl') > firstOf('wget') ? 'curl' : 'wget';
      const other = minority === 'curl' ? 'wget' : 'curl';
      const otherLine = uses[other][0].script.positionAt(uses[other][0].invocation.nameWord.start).line + 1;
      for (const { script, invocation } of uses[minority]) {
        ctx.report({
          code: 'CurlAndWget',
          range: script.rangeAt(invocation.nameWord.start, invocation.nameWord.end),
          message: `Both curl and wget are used in this stage (${other} on line ${otherLine}); use one of them`,
          instructionIndex: script.instructionIndex,
        });
      }
    }
  },
};
