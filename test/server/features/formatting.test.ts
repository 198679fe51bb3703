import * as assert from 'assert';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-protocol';
import { parseDockerfile } from '../../../server/parser';
import { planDockerfile, type PlannedStep } from '../../../server/plan';
import { formatDocument, formatOnEnter, formatRange, formattingSettings } from '../../../server/features/formatting';
import { scanShellText, shellWords } from '../../../server/features/format/shellScan';
import type { FormatOptions } from '../../../server/features/format/formatEdits';
import { defaultSettings } from '../../../server/settings';
import { LspClient } from '../lspClient';

const defaults: FormatOptions = { tabSize: 4, insertSpaces: true, reflow: false };

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 1, text), edits);
}

function format(text: string, options: Partial<FormatOptions> = {}): string {
  return apply(text, formatDocument(parseDockerfile(text), text, { ...defaults, ...options }));
}

/** ONBUILD stores its trigger as written; the formatter only upper-cases the trigger's instruction. */
const onbuildKeyword = (step: PlannedStep) => (text: string) =>
  step.details.kind === 'onbuild' ? text.replace(/^\s*\S+/, (k) => k.toUpperCase()) : text;

/** What a build does, compared modulo blanks between shell words (the shell splits them away). */
function meaning(text: string): unknown {
  const syntax = parseDockerfile(text);
  const plan = planDockerfile(syntax);
  const shellForm = (step: PlannedStep) => 'shellForm' in step.details && step.details.shellForm;
  return {
    instructions: syntax.instructions.map((i) => [i.name, i.flags.map((f) => [f.name, f.value]), i.heredocs.map((h) => [h.name, h.content, h.expand])]),
    errors: [...new Set([...syntax.problems, ...plan.problems].filter((p) => p.severity === 'error').map((p) => p.code))].sort(),
    steps: plan.stages.map((stage) => stage.steps.map((step) => [
      step.instruction,
      shellForm(step) || step.instruction === 'HEALTHCHECK' ? step.arguments.map(shellWords) : step.arguments.map(onbuildKeyword(step)),
      step.details.kind === 'onbuild' ? onbuildKeyword(step)(step.details.trigger) : '',
      step.details.kind === 'env' || step.details.kind === 'label' ? step.details.pairs : '',
      step.details.kind === 'run' ? step.details.heredocs : '',
      step.details.kind === 'copy' || step.details.kind === 'add' ? step.details.heredocs : '',
      step.workdir, step.user,
    ])),
  };
}

describe('formatting', () => {
  describe('what it changes', () => {
    it('upper-cases instructions, AS, HEALTHCHECK CMD and ONBUILD triggers; trims indentation and extra blanks', () => {
      const text = '  from alpine:3.19 as build   \nrun    echo hi\nhealthcheck --interval=5s cmd true\nonbuild run make\n\t# a comment  \n';
      assert.strictEqual(format(text), 'FROM alpine:3.19 AS build\nRUN echo hi\nHEALTHCHECK --interval=5s CMD true\nONBUILD RUN make\n# a comment\n');
    });

    it('indents unindented continuation lines and keeps hand-aligned ones as written', () => {
      const text = [
        'RUN apt-get update && \\',
        'apt-get install -y \\',
        '        curl \\',
        '  && rm -rf /var/lib/apt/lists/*',
        'RUN --mount=type=cache,target=/a \\',
        '    --mount=type=cache,target=/b \\',
        '    make',
        '',
      ].join('\n');
      assert.strictEqual(format(text, { tabSize: 2 }), text.replace('\napt-get install', '\n  apt-get install'));
    });

    it('reflows every continuation line when asked to, collapsing blanks before the escape', () => {
      const text = 'RUN apt-get update &&     \\\n        apt-get install -y \\\n  curl\n';
      assert.strictEqual(format(text, { reflow: true }), 'RUN apt-get update && \\\n    apt-get install -y \\\n    curl\n');
    });

    it('reads the reflow setting from layerlens.formatting.reflowContinuations', () => {
      assert.deepStrictEqual(formattingSettings(defaultSettings), { reflowContinuations: false });
      const withReflow = { ...defaultSettings, formatting: { reflowContinuations: true } };
      assert.deepStrictEqual(formattingSettings(withReflow), { reflowContinuations: true });
    });

    it('uses tabs when the editor does', () => {
      assert.strictEqual(format('ENV A=1 \\\nB=2\n', { insertSpaces: false }), 'ENV A=1 \\\n\tB=2\n');
    });

    it('honours insertFinalNewline and trimFinalNewlines', () => {
      assert.strictEqual(format('FROM a', { insertFinalNewline: true }), 'FROM a\n');
      assert.strictEqual(format('FROM a\n\n\n', { trimFinalNewlines: true }), 'FROM a\n');
      assert.strictEqual(format('FROM a\r\nrun b\r\n'), 'FROM a\r\nRUN b\r\n');
    });
  });

  describe('what it never touches', () => {
    const untouched = (name: string, text: string, options: Partial<FormatOptions> = {}) =>
      it(name, () => assert.strictEqual(format(text, { reflow: true, ...options }), text));

    untouched('heredoc bodies and terminators, indentation and trailing blanks included',
      'RUN <<EOF\n  indented   \n\tx  \nEOF\nCOPY <<-EOT /f\n\t  body \n\tEOT\n');
    untouched('text inside quotes that spans a continuation', 'RUN echo "a   \\\nb"\nENV MSG="hello \\\n  world"\n');
    untouched('a word split across lines (joining must not insert blanks)', 'RUN echo foo\\\nbar\n');
    untouched('arguments BuildKit takes verbatim', 'WORKDIR /my \\\ndir\nENV LEGACY a \\\nb\nUSER app\\\n:app\n');
    untouched('parser directives', '# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n');
    untouched('continuations inside command substitutions with quotes', 'RUN x="$(echo "a \\\nb")"\n');
    untouched('a comment before the instructions that would become a directive', '  # escape=`\n\nFROM a\n'.replace('  #', '#'));
  });

  describe('on Enter', () => {
    it('indents a new continuation line, aligned with an indented line above', () => {
      const text = 'RUN --mount=type=cache,target=/a \\\n      --mount=type=cache,target=/b \\\n\nFROM x\n';
      const edits = formatOnEnter(parseDockerfile(text), text, defaults, { line: 2, character: 0 });
      assert.strictEqual(apply(text, edits), 'RUN --mount=type=cache,target=/a \\\n      --mount=type=cache,target=/b \\\n      \nFROM x\n');
    });

    it('indents by one unit after the first line, and upper-cases the keyword just typed', () => {
      const text = 'from a\nrun apt-get update && \\\n';
      const edits = formatOnEnter(parseDockerfile(text), text, defaults, { line: 2, character: 0 });
      assert.strictEqual(apply(text, edits), 'from a\nRUN apt-get update && \\\n    ');
    });

    it('does nothing inside a heredoc body or after a complete instruction', () => {
      const heredoc = 'RUN <<EOF\necho a \\\n\nEOF\n';
      assert.deepStrictEqual(formatOnEnter(parseDockerfile(heredoc), heredoc, defaults, { line: 2, character: 0 }), []);
      const done = 'RUN echo a\n\n';
      assert.deepStrictEqual(formatOnEnter(parseDockerfile(done), done, defaults, { line: 1, character: 0 }), []);
    });
  });

  it('formats a range as whole instructions only', () => {
    const text = 'from a\nrun b && \\\nc\nrun d\n';
    const edits = formatRange(parseDockerfile(text), text, defaults, 2, 2);
    assert.strictEqual(apply(text, edits), 'from a\nRUN b && \\\n    c\nrun d\n');
  });

  it('finds variables and quoting as the shell would (scanner used by formatting and navigation)', () => {
    const scan = scanShellText(`echo "$A" '$B' \${C:-\${D}} $(echo "$E") # $F`, 'shell');
    assert.deepStrictEqual(scan.mentions.filter((m) => !m.singleQuoted).map((m) => m.name), ['A', 'C', 'D', 'E']);
    assert.deepStrictEqual(scanShellText('a "b c" d', 'shell', '\\', [2, 4, 8]).quotedAt, [false, true, false]);
    assert.deepStrictEqual(shellWords(`a  "b  c"   'd'`), ['a', '"b  c"', "'d'"]);
  });

  describe('over stdio', () => {
    let client: LspClient;
    before(async () => {
      client = new LspClient();
      const init = (await client.initialize()) as { capabilities: Record<string, unknown> };
      assert.strictEqual(init.capabilities.documentFormattingProvider, true);
      assert.strictEqual(init.capabilities.documentRangeFormattingProvider, true);
      assert.deepStrictEqual(init.capabilities.documentOnTypeFormattingProvider, { firstTriggerCharacter: '\n' });
    });
    after(() => client.stop());

    it('formats a document', async () => {
      const uri = 'file:///tmp/formatting/Dockerfile';
      const text = 'from alpine as base\nrun apk add \\\ncurl\n';
      await client.open(uri, text);
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
      assert.strictEqual(apply(text, edits), 'FROM alpine AS base\nRUN apk add \\\n  curl\n');
    });

    it('formats a range and on type', async () => {
      const uri = 'file:///tmp/formatting-range/Dockerfile';
      const text = 'from a\nrun b\nrun c && \\\n';
      await client.open(uri, text);
      const ranged = await client.request<TextEdit[]>('textDocument/rangeFormatting', {
        textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, options: { tabSize: 4, insertSpaces: true },
      });
      assert.strictEqual(apply(text, ranged), 'from a\nRUN b\nrun c && \\\n');
      const typed = await client.request<TextEdit[]>('textDocument/onTypeFormatting', {
        textDocument: { uri }, position: { line: 3, character: 0 }, ch: '\n', options: { tabSize: 4, insertSpaces: true },
      });
      assert.strictEqual(apply(text, typed), 'from a\nrun b\nRUN c && \\\n    ');
    });
  });

  describe('property: idempotent and meaning-preserving on generated Dockerfiles', () => {
    const indent = fc.constantFrom('', '', ' ', '  ', '    ', '\t', ' \t ', '        ');
    const trailing = fc.constantFrom('', '', ' ', '  ', '\t');
    const cased = (keyword: string) => fc.constantFrom(keyword, keyword.toLowerCase(), keyword[0] + keyword.slice(1).toLowerCase());
    const shellWord = fc.constantFrom('apt-get', 'install', '-y', 'curl', '&&', '||', '|', ';', '"a  b"', "'c   d'", '$HOME', '${X:-y z}',
      '"$(echo "q  r")"', '`date`', 'x=1', '"open', 'close"', "'open", "close'", '\\"', 'a\\ b', '#', '# comment', 'ENV',
      '"$(echo "a', 'b")"', '$(printf', "'%s  x')", '${Y:-"p  q"}', '--mount=type=bind,source="a  b",target=/c');
    const kvWord = fc.constantFrom('A=1', 'B="two  words"', "C='x  y'", 'D=$A', 'E=${A}b', 'F="open', 'close"', 'G=a\\ b');
    const plainWord = fc.constantFrom('src/', '/app/', 'a b', '"quoted  path"', '$DIR', '8080', '/data', '--chown=1:1');
    /** Joins words with blanks or continuations (with/without blank before the escape, indented or not, comments and empty lines in between). */
    const joined = (words: fc.Arbitrary<string>) =>
      fc.array(fc.tuple(words, fc.constantFrom('sp', 'sp', 'cont', 'cont-tight', 'cont-comment', 'cont-empty'), indent, trailing), { minLength: 1, maxLength: 6 })
        .map((parts) => parts.map(([w, sep, ind, tr], i) => {
          if (i === parts.length - 1) return w;
          if (sep === 'sp') return w + ' ';
          if (sep === 'cont') return `${w} \\${tr}\n${ind}`;
          if (sep === 'cont-tight') return `${w}\\${tr}\n${ind}`;
          if (sep === 'cont-comment') return `${w} \\\n${ind}# note${tr}\n${ind}`;
          return `${w} \\\n${tr}\n${ind}`;
        }).join(''));
    const heredocBody = fc.array(fc.tuple(indent, fc.constantFrom('echo $X', 'plain text', 'a \\', '', "'q'", 'EOF2'), trailing), { maxLength: 4 })
      .map((lines) => lines.map(([i, t, tr]) => i + t + tr).join('\n'));
    const instruction = fc.oneof(
      fc.tuple(indent, cased('RUN'), joined(shellWord), trailing).map(([i, k, a, t]) => `${i}${k} ${a}${t}`),
      fc.tuple(indent, cased('RUN'), joined(fc.constantFrom('"sh",', '"-c",', '"echo  $A"', '"x  \\"y\\""'))).map(([i, k, a]) => `${i}${k} [${a}]`),
      fc.tuple(indent, cased('CMD'), joined(shellWord)).map(([i, k, a]) => `${i}${k} ${a}`),
      fc.tuple(cased('HEALTHCHECK'), cased('CMD'), joined(shellWord)).map(([k, c, a]) => `${k} --interval=5s ${c} ${a}`),
      fc.tuple(indent, cased('ENV'), joined(kvWord)).map(([i, k, a]) => `${i}${k} ${a}`),
      fc.tuple(cased('ENV'), joined(plainWord)).map(([k, a]) => `${k} LEGACY ${a}`),
      fc.tuple(cased('LABEL'), joined(kvWord)).map(([k, a]) => `${k} ${a}`),
      fc.tuple(cased('ARG'), joined(kvWord)).map(([k, a]) => `${k} ${a}`),
      fc.tuple(cased('COPY'), joined(plainWord)).map(([k, a]) => `${k} ${a} /dst/`),
      fc.tuple(cased('WORKDIR'), joined(plainWord)).map(([k, a]) => `${k} ${a}`),
      fc.tuple(cased('USER'), joined(plainWord)).map(([k, a]) => `${k} ${a}`),
      fc.tuple(cased('EXPOSE'), joined(plainWord)).map(([k, a]) => `${k} ${a}`),
      fc.tuple(cased('ONBUILD'), cased('RUN'), joined(shellWord)).map(([o, k, a]) => `${o} ${k} ${a}`),
      fc.tuple(cased('RUN'), fc.constantFrom('<<EOF', "<<'EOF'", '<<-EOF', 'cat <<EOF > /f && \\\n  echo done'), heredocBody)
        .map(([k, m, b]) => `${k} ${m}\n${b}${b ? '\n' : ''}${m.includes('-') ? '\t' : ''}EOF`),
      fc.tuple(cased('COPY'), fc.constantFrom('<<EOF', '<<"EOF"'), heredocBody).map(([k, m, b]) => `${k} ${m} /etc/f\n${b}${b ? '\n' : ''}EOF`),
      fc.tuple(indent, fc.constantFrom('# comment', '#', '# a=b'), trailing).map(([i, c, t]) => `${i}${c}${t}`),
      fc.tuple(indent, trailing).map(([i, t]) => `${i}${t}`.trimEnd() === '' ? '' : `${i}${t}`),
    );
    const dockerfile = fc.tuple(
      fc.constantFrom('', '# syntax=docker/dockerfile:1\n', '# escape=`\n'),
      fc.tuple(indent, cased('FROM'), cased('AS')).map(([i, k, as]) => `${i}${k} alpine:3.19 ${as} base`),
      fc.array(instruction, { minLength: 1, maxLength: 10 }),
      fc.constantFrom('\n', '', '\n\n'),
      fc.boolean(),
    ).map(([directive, from, rest, end, crlf]) => {
      let body = [from, ...rest].join('\n');
      // With `# escape=\``, continuations use a backtick.
      if (directive.includes('escape')) body = body.replace(/\\([ \t]*)\n/g, '`$1\n');
      const text = directive + body + end;
      return crlf ? text.replace(/\n/g, '\r\n') : text;
    });
    const options = fc.record({
      tabSize: fc.constantFrom(2, 4, 8), insertSpaces: fc.boolean(), reflow: fc.boolean(),
      insertFinalNewline: fc.boolean(), trimFinalNewlines: fc.boolean(),
    });

    it('formatting twice changes nothing more, and the plan is the same before and after', () => {
      fc.assert(fc.property(dockerfile, options, (text, opts) => {
        const once = format(text, opts);
        const edits = formatDocument(parseDockerfile(once), once, { ...defaults, ...opts });
        assert.deepStrictEqual(edits, [], `not idempotent:\n${JSON.stringify(text)}\n->\n${JSON.stringify(once)}`);
        assert.deepStrictEqual(meaning(once), meaning(text), `meaning changed:\n${JSON.stringify(text)}\n->\n${JSON.stringify(once)}`);
      }), { numRuns: Number(process.env.FORMAT_PROPERTY_RUNS ?? 400) });
    });
  });
});
