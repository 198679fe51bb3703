// WorkdirRelativePath: the first WORKDIR of a build (stage chain) should be absolute, since a
// relative one resolves against whatever directory the base image happens to use.
import { lookupIn, processWord } from '../../parser/shell/lexer';
import { goQuote } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

function isAbsolute(path: string, os: string): boolean {
  if (os === 'windows') return /^([A-Za-z]:)?[\\/]/.test(path);
  return path.startsWith('/');
}

export const workdirRelativePath: Rule = {
  meta: {
    code: 'WorkdirRelativePath',
    title: 'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes',
    explanation: "A relative WORKDIR is resolved against the base image's working directory, which can change upstream without notice.",
    fix: 'Use an absolute path, e.g. `WORKDIR /app`.',
    href: buildkitDocs('WorkdirRelativePath'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3000'],
  },
  scope: 'stage',
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      // A WORKDIR anywhere in the FROM ancestors counts as set (BuildKit inherits the flag).
      let set = ctx.stageChain(stage).slice(1).some((s) => s.body.some((i) => ctx.instructions[i].name === 'WORKDIR' && ctx.instructions[i].args.length > 0));
      const os = (stage.plan?.platform ?? ctx.plan.targetPlatform).split('/')[0];
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if (instruction.name !== 'WORKDIR' || instruction.args.length === 0) continue;
        const step = ctx.step(i);
        const raw = instruction.args[0].value;
        const expanded = step ? processWord(raw, lookupIn({ ...step.args, ...step.env }), { escapeChar: ctx.syntax.escapeChar }) : undefined;
        const path = expanded && !expanded.error ? expanded.result : raw;
        if (!set && !path.startsWith('$') && !isAbsolute(path, os)) {
          ctx.report({
            code: 'WorkdirRelativePath',
            range: instruction.args[0].range,
            message: `Relative workdir ${goQuote(path)} can have unexpected results if the base image changes`,
            instructionIndex: i,
          });
        }
        set = true;
      }
    }
  },
};
