// The image runs as root (hadolint DL3002): the last USER of the target stage (or its FROM
// ancestors) switches to root.
import type { LintContext } from '../lintContext';
import { hadolintDocs, type Rule } from '../rule';

function isRoot(user: string): boolean {
  const name = user.split(':')[0].trim();
  return name === 'root' || name === '0';
}

export const lastUserRoot: Rule = {
  meta: {
    code: 'LastUserRoot',
    title: 'Last USER should not be root',
    explanation: 'Containers from this image run as root, so any compromise of the process owns the whole container.',
    fix: 'Switch to an unprivileged user (`USER app`) after the steps that need root.',
    href: hadolintDocs('DL3002'),
    origin: 'layerlens',
    defaultSeverity: 'warning',
    hadolint: ['DL3002'],
  },
  check(ctx: LintContext) {
    const targetIndex = ctx.plan.targetStage >= 0 && ctx.plan.stages.length > 0 ? ctx.plan.targetStage : ctx.stages.length - 1;
    const target = ctx.stages[targetIndex];
    if (!target) return;
    for (const stage of ctx.stageChain(target)) {
      const users = stage.body.filter((i) => ctx.instructions[i].name === 'USER' && ctx.instructions[i].args.length > 0);
      if (users.length === 0) continue;
      const last = users[users.length - 1];
      const instruction = ctx.instructions[last];
      const user = ctx.step(last)?.arguments[0] ?? instruction.args[0].value;
      if (isRoot(user)) {
        ctx.report({
          code: 'LastUserRoot',
          range: instruction.args[0].range,
          message: `The image runs as ${user}: the last USER of the target stage should not be root`,
          instructionIndex: last,
        });
      }
      return;
    }
  },
};
