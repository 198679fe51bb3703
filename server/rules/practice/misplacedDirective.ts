// A parser directive (`# syntax=`, `# escape=`, `# check=`) below the top of the file is a plain
// comment to BuildKit: the check options, escape character or frontend it names are ignored.
import type { LintContext } from '../lintContext';
import type { Rule } from '../rule';

const DIRECTIVE = /^(syntax|escape|check)\s*=\s*\S/i;

/** Whether `text` starts as DIRECTIVE needs (s, e or c in either case): most comments are ruled out without the regex. */
function mayBeDirective(text: string): boolean {
  const lower = text.charCodeAt(0) | 0x20;
  return lower === 0x73 || lower === 0x65 || lower === 0x63;
}

export const misplacedDirective: Rule = {
  meta: {
    code: 'MisplacedDirective',
    title: 'Parser directive below the top of the file is ignored',
    explanation: 'BuildKit only reads directives before the first instruction, comment or blank line; later ones are plain comments.',
    fix: 'Move the directive to the first lines of the file.',
    href: 'https://docs.docker.com/reference/dockerfile/#parser-directives',
    origin: 'layerlens',
    defaultSeverity: 'warning',
  },
  check(ctx: LintContext) {
    const topLine = ctx.syntax.directives.reduce((max, d) => Math.max(max, d.range.end.line + 1), 0);
    for (const comment of ctx.syntax.comments) {
      if (!mayBeDirective(comment.text)) continue;
      const m = DIRECTIVE.exec(comment.text);
      if (!m) continue;
      const name = m[1].toLowerCase();
      const duplicate = ctx.syntax.directives.some((d) => d.name === name);
      const line = comment.range.start.line;
      ctx.report({
        code: 'MisplacedDirective',
        range: comment.range,
        message: `'# ${comment.text}' is not read as a parser directive here: directives must come before any instruction, comment or blank line`,
        fixes: duplicate
          ? undefined
          : [{
              title: `Move the ${name} directive to the top of the file`,
              edits: [
                { range: { start: { line: topLine, character: 0 }, end: { line: topLine, character: 0 } }, newText: `# ${comment.text}\n` },
                { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' },
              ],
              preferred: true,
            }],
      });
    }
  },
};
