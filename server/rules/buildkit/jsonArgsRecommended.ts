// JSONArgsRecommended: CMD/ENTRYPOINT in shell form run under `/bin/sh -c`, which does not pass
// signals on; BuildKit skips the check once a SHELL instruction has set the shell explicitly.
import { replace } from '../edits';
import type { LintContext, StageView } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';
import type { QuickFix } from '../types';

const PLAIN_WORD = /^[A-Za-z0-9_./:=,@%+-]+$/;

/** `node server.js` -> `["node", "server.js"]` when the command has no shell syntax at all. */
export function toExecForm(command: string): string | undefined {
  const words = command.trim().split(/[ \t]+/);
  if (words.length === 0 || words[0] === '' || !words.every((w) => PLAIN_WORD.test(w))) return undefined;
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

function shellSetBefore(ctx: LintContext, stage: StageView, instructionIndex: number): boolean {
  for (const s of ctx.stageChain(stage)) {
    for (const i of s.body) {
      if (s === stage && i >= instructionIndex) break;
      if (ctx.instructions[i].name === 'SHELL') return true;
    }
  }
  return false;
}

export const jsonArgsRecommended: Rule = {
  scope: 'stage',
  meta: {
    code: 'JSONArgsRecommended',
    title: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals',
    explanation: 'In shell form the program runs as a child of `/bin/sh -c`, which does not forward SIGTERM, so `docker stop` waits and then kills it.',
    fix: 'Use the exec (JSON) form, e.g. `CMD ["node", "server.js"]`, or set SHELL explicitly if a shell is intended.',
    href: buildkitDocs('JSONArgsRecommended'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3025'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if ((instruction.name !== 'CMD' && instruction.name !== 'ENTRYPOINT') || instruction.form !== 'shell') continue;
        const arg = instruction.args[0];
        if (!arg || instruction.heredocs.length > 0 || shellSetBefore(ctx, stage, i)) continue;
        const exec = toExecForm(arg.value);
        const fixes: QuickFix[] = exec ? [{ title: `Convert to exec form: ${exec}`, edits: [replace(arg.range, exec)], preferred: true }] : [];
        ctx.report({
          code: 'JSONArgsRecommended',
          range: arg.range,
          message: `JSON arguments recommended for ${instruction.keyword.text} to prevent unintended behavior related to OS signals`,
          instructionIndex: i,
          fixes,
        });
      }
    }
  },
};
