// InvalidDefinitionDescription (experimental): a comment right above FROM ... AS name or ARG is
// taken as its description (`docker build --call=outline`) and must start with the name.
import type { InstructionNode } from '../../parser/types';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

function check(ctx: LintContext, instruction: InstructionNode, index: number, keys: string[]): void {
  if (keys.length === 0) return;
  const line = instruction.range.start.line - 1;
  const comment = ctx.syntax.comments.find((c) => c.range.start.line === line);
  if (!comment) return;
  const first = comment.text.split(' ')[0];
  if (keys.includes(first)) return;
  const example = keys.length > 1 ? '<arg_key>' : keys[0];
  ctx.report({
    code: 'InvalidDefinitionDescription',
    range: comment.range,
    message: `Comment for ${instruction.name} should follow the format: \`# ${example} <description>\``,
    instructionIndex: index,
  });
}

export const invalidDefinitionDescription: Rule = {
  meta: {
    code: 'InvalidDefinitionDescription',
    title: 'Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`',
    explanation: 'BuildKit shows the comment directly above a stage or ARG as its description; one that does not start with the name is probably not meant as one.',
    fix: 'Start the comment with the name, or separate it from the instruction with an empty line.',
    href: buildkitDocs('InvalidDefinitionDescription'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    experimental: true,
  },
  check(ctx: LintContext) {
    ctx.instructions.forEach((instruction, i) => {
      if (instruction.name === 'FROM' && instruction.stageName) check(ctx, instruction, i, [instruction.stageName.value.toLowerCase()]);
      else if (instruction.name === 'ARG') check(ctx, instruction, i, instruction.pairs.map((p) => p.key.value));
    });
  },
};
