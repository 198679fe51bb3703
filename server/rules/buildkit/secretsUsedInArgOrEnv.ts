// SecretsUsedInArgOrEnv: ARG and ENV values end up in the image history and config.
import { goQuote } from '../edits';
import type { LintContext } from '../lintContext';
import { buildkitDocs, type Rule } from '../rule';

const DENY = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;

/** BuildKit's test for secret-looking variable names (`GITHUB_TOKEN`, `db_password`, not `PUBLIC_KEY`, `TOKEN_FILE`, `AUTH_VERSION`). */
export function looksLikeSecretName(name: string): boolean {
  return DENY.test(name) && !ALLOW.test(name);
}

export const secretsUsedInArgOrEnv: Rule = {
  scope: 'stage',
  meta: {
    code: 'SecretsUsedInArgOrEnv',
    title: 'Sensitive data should not be used in the ARG or ENV commands',
    explanation: 'ARG and ENV values are stored in the image config and history, where anyone with the image can read them.',
    fix: 'Pass secrets with `RUN --mount=type=secret,id=...` instead.',
    href: buildkitDocs('SecretsUsedInArgOrEnv'),
    origin: 'buildkit',
    defaultSeverity: 'warning',
    hadolint: ['DL3064'],
  },
  check(ctx: LintContext) {
    for (const stage of ctx.checkedStages) {
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if (instruction.name !== 'ARG' && instruction.name !== 'ENV') continue;
        for (const pair of instruction.pairs) {
          if (!looksLikeSecretName(pair.key.value)) continue;
          ctx.report({
            code: 'SecretsUsedInArgOrEnv',
            range: pair.key.range,
            message: `Do not use ARG or ENV instructions for sensitive data (${instruction.name} ${goQuote(pair.key.value)})`,
            instructionIndex: i,
          });
        }
      }
    }
  },
};
