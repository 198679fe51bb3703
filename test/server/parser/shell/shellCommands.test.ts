import * as assert from 'assert';
import { invocationOf, parseArgs } from '../../../../server/rules/shell/invocation';
import { parseShellCommands } from '../../../../server/parser/shell/shellCommands';

const words = (text: string) => parseShellCommands(text).commands.map((c) => c.words.map((w) => w.value));

describe('parser/shell: command splitting', () => {
  it('splits on operators, keeps quoted text together and removes quotes', () => {
    assert.deepStrictEqual(words(`a "b c" 'd|e' && f\\ g || h; i | j & k`), [['a', 'b c', 'd|e'], ['f g'], ['h'], ['i'], ['j'], ['k']]);
  });
  it('records operators between commands and offsets of words', () => {
    const text = 'x=1 apt-get install -y  curl | tee log';
    const [first, second] = parseShellCommands(text).commands;
    assert.deepStrictEqual(first.assignments.map((w) => w.value), ['x=1']);
    assert.strictEqual(first.after, '|');
    assert.strictEqual(second.before, '|');
    const curl = first.words[3];
    assert.strictEqual(text.slice(curl.start, curl.end), 'curl');
  });
  it('drops redirections and comments, skips keywords, and parses $(...) and backticks as nested commands (in text order)', () => {
    const parsed = parseShellCommands('if [ -f x ]; then echo $(curl -s u) `wget v` > /dev/null 2>&1; fi # cd /x');
    const all = parsed.commands.map((c) => [c.nested, c.words.map((w) => w.value).join(' ')]);
    assert.deepStrictEqual(all, [[false, '[ -f x ]'], [false, 'echo $(curl -s u) `wget v`'], [true, 'curl -s u'], [true, 'wget v'], [false, 'fi']]);
    assert.strictEqual(parsed.endsInComment, true);
  });
  it('unwraps sudo/env and parses options, subcommands and operands', () => {
    const [c] = parseShellCommands('sudo -u root env A=1 /usr/bin/apt-get -o X=y install -y --no-install-recommends a b').commands;
    const inv = invocationOf(c);
    assert.strictEqual(inv?.name, 'apt-get');
    assert.strictEqual(inv?.sudo?.value, 'sudo');
    const args = parseArgs(inv?.args ?? [], new Set(['-o']));
    assert.strictEqual(args.subcommand?.value, 'install');
    assert.deepStrictEqual(args.operands.map((w) => w.value), ['a', 'b']);
    assert.deepStrictEqual(args.options.map((w) => w.value), ['-o', '-y', '--no-install-recommends']);
  });
  it('records each redirection with its operator, descriptor and target', () => {
    const [c] = parseShellCommands('make >/tmp/log 2>&1 &>> both < in 3>| x 2> /dev/null').commands;
    assert.deepStrictEqual(c.redirects.map((r) => [r.op, r.fd, r.target?.value]), [['>', 1, '/tmp/log'], ['>&', 2, '1'], ['&>>', 1, 'both'], ['<', 0, 'in'], ['>|', 3, 'x'], ['>', 2, '/dev/null']]);
    assert.deepStrictEqual(c.words.map((w) => w.value), ['make']);
  });
  it('marks commands in loops and conditionals, after ||, and list headers', () => {
    const text = 'for f in a b; do rm $f; done; if true; then x; else y; fi; a || b && c; d; while read l; do e; done; case $v in z) g;; esac; h';
    const flags = parseShellCommands(text).commands.map((c) => `${c.words.map((w) => w.value).join(' ')}:${c.inLoop ? 'L' : ''}${c.conditional ? 'C' : ''}${c.header ? 'H' : ''}`);
    assert.deepStrictEqual(flags, ['for f in a b:LH', 'rm $f:L', 'done:', 'true:C', 'x:C', 'y:C', 'fi:', 'a:', 'b:C', 'c:C', 'd:', 'read l:L', 'e:L', 'done:', 'case $v in z:CH', 'g:C', 'esac:', 'h:']);
  });
  it('skips here-document bodies up to their delimiter line (tabs stripped for <<-), but not here-strings', () => {
    assert.deepStrictEqual(words('cat <<EOF > /x.sh\nrm -rf /etc\nEOF\nrm /y'), [['cat'], ['rm', '/y']]);
    assert.deepStrictEqual(words('cat <<-"EOT" | tee a && cat <<B\n\trm x\n\tEOT\nrm z\nB\necho done'), [['cat'], ['tee', 'a'], ['cat'], ['echo', 'done']]);
    assert.deepStrictEqual(words('cat <<<"rm x"\nrm y'), [['cat'], ['rm', 'y']]);
    assert.deepStrictEqual(words('cat <<EOF\nrm never ends'), [['cat']]);
    const [a, b] = parseShellCommands("a <<EOF; b <<-'T'\none\nEOF\n\ttwo\n\tT\n").commands;
    assert.deepStrictEqual([a.redirects[0].hereDocument, b.redirects[0].hereDocument], [{ text: 'one\n', expands: true }, { text: 'two\n', expands: false }]);
  });
  it('never throws on unbalanced input', () => {
    for (const t of ['"unterminated', "'x", '$(a', '`b', '${c', 'a &&', '| b', '((']) assert.doesNotThrow(() => parseShellCommands(t), t);
  });
});
