// SecretCopiedIntoLayer: COPY/ADD puts a private key, .env or credentials file into a layer,
// where it stays even if a later step deletes it.
import * as path from 'path';
import type { LintContext } from '../lintContext';
import type { Rule } from '../rule';

const SECRET_NAMES = [
  /^\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[\w.-]+)?$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)$/,
  /\.(key|p12|pfx|jks|keystore|ppk|kdbx)$/i,
  /(key|priv|private)[\w.-]*\.pem$/i,
  /^\.(npmrc|pypirc|netrc|git-credentials|htpasswd|pgpass|s3cfg)$/,
  /^credentials(\.json)?$/i,
  /^secrets?\.(json|ya?ml|env|txt|toml)$/i,
  /^kubeconfig$/i,
  /^service-account[\w.-]*\.json$/i,
];
const SECRET_PATHS = [/(^|\/)\.aws\/credentials$/, /(^|\/)\.docker\/config\.json$/, /(^|\/)\.ssh\/[^/]+$/, /(^|\/)\.kube\/config$/];

/** Whether a context-relative path looks like it holds a secret. */
export function looksLikeSecretFile(file: string): boolean {
  const clean = file.replace(/^\.\//, '');
  const base = path.posix.basename(clean);
  if (base.endsWith('.pub')) return false;
  return SECRET_NAMES.some((r) => r.test(base)) || SECRET_PATHS.some((r) => r.test(clean));
}

function covers(source: string, file: string): boolean {
  const s = path.posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (s === '.' || s === '' || s === '*') return true;
  if (/[*?[]/.test(s)) {
    const re = new RegExp('^' + s.split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('') + '(/.*)?$');
    return re.test(file);
  }
  return file === s || file.startsWith(s + '/');
}

export const secretCopiedIntoLayer: Rule = {
  scope: 'stage',
  meta: {
    code: 'SecretCopiedIntoLayer',
    title: 'Secret copied into a layer',
    explanation: 'Files copied into a layer stay readable by anyone with the image (or its build cache), even if a later step deletes them.',
    fix: 'Exclude the file in .dockerignore and pass it with `RUN --mount=type=secret` instead.',
    href: 'https://docs.docker.com/build/building/secrets/',
    origin: 'layerlens',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    const contextSecrets = ctx.options.contextSecrets ?? [];
    for (const stage of ctx.checkedStages) {
      for (const i of stage.body) {
        const instruction = ctx.instructions[i];
        if ((instruction.name !== 'COPY' && instruction.name !== 'ADD') || instruction.flags.some((f) => f.name === 'from')) continue;
        for (const word of instruction.args.slice(0, -1)) {
          if (word.value.startsWith('<<') || /^[a-z]+:\/\//i.test(word.value)) continue;
          const direct = looksLikeSecretFile(word.value.replace(/^\/+/, ''));
          const found = direct ? [] : contextSecrets.filter((f) => covers(word.value, f));
          if (!direct && found.length === 0) continue;
          const what = direct ? `'${word.value}' looks like a secret` : `'${word.value}' includes ${found.slice(0, 3).map((f) => `'${f}'`).join(', ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''} (looks like ${found.length === 1 ? 'a secret' : 'secrets'})`;
          ctx.report({
            code: 'SecretCopiedIntoLayer',
            range: word.range,
            message: `${what}: ${instruction.name} puts it into a layer of the image; exclude it in .dockerignore and use RUN --mount=type=secret`,
            instructionIndex: i,
          });
        }
      }
    }
  },
};
