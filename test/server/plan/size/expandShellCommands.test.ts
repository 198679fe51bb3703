import * as assert from 'assert';
import { parseShellCommands } from '../../../../server/parser/shell/shellCommands';
import { expandShellCommands, expandShellWord } from '../../../../server/plan/size/expandShellCommands';

const expanded = (script: string, env: Record<string, string | undefined> = {}) => expandShellCommands(parseShellCommands(script).commands, env);

describe('plan/size: the commands of a script, expanded', () => {
  it('expands words from the environment, removing quotes and keeping what it cannot know as uncertain', () => {
    assert.deepStrictEqual(expandShellWord(`"$A"'$B'\\ c\${D:-d}`, { A: 'a' }), { text: 'a$B cd', uncertain: undefined });
    assert.deepStrictEqual(expandShellWord('$(date)/$U', {}), { text: '/', uncertain: 'command substitution $(date)' });
    const [echo] = expanded('echo $V > "$DIR/out" 2>/dev/null', { V: '1' });
    assert.deepStrictEqual(echo.argv, ['echo', '1']);
    assert.deepStrictEqual(echo.redirects, [{ op: '>', fd: 1, target: '/out' }, { op: '>', fd: 2, target: '/dev/null' }]);
    assert.deepStrictEqual(echo.uncertain, ['$DIR']);
  });
  it('reads assignments before a command, quoted or not, and leaves out list headers, keywords and nested commands', () => {
    const commands = expanded('X="a b" Y=$Z make; for f in a b; do rm "$f"; done; case $v in z) touch /z;; esac; echo $(rm -rf /)', { Z: 'z' });
    assert.deepStrictEqual(commands.map((c) => [c.argv.join(' '), c.assignments, c.inLoop, c.conditional]), [
      ['make', { X: 'a b', Y: 'z' }, false, false],
      ['rm ', {}, true, false],
      ['touch /z', {}, false, true],
      ['echo ', {}, false, false],
    ]);
    assert.deepStrictEqual(commands[3].uncertain, ['command substitution $(rm -rf /)']);
  });
  it('reads a here-document body as input (expanded unless its delimiter is quoted) and follows pipes', () => {
    const [cat, tee] = expanded('cat <<EOF | tee /x\nhello $N "$N"\nEOF', { N: 'n' });
    assert.strictEqual(cat.input, 'hello n "n"\n');
    assert.deepStrictEqual(cat.uncertain, []);
    assert.ok(cat.pipedTo && tee.pipedFrom);
    assert.strictEqual(expanded("cat <<'EOF'\nhello $N\nEOF", { N: 'n' })[0].input, 'hello $N\n');
    assert.strictEqual(expanded('cat <<<"$N m"', { N: 'n' })[0].input, 'n m\n');
  });
  it('flags a here-document whose body it cannot know', () => {
    assert.deepStrictEqual(expanded('cat <<EOF > /x\n$(date)\nEOF')[0].uncertain, ['command substitution $(date)']);
    // A body that has not started in the text given (a RUN's command line without its body).
    assert.deepStrictEqual(expanded('cat <<EOF > /x')[0].uncertain, ['a here-document inside the script']);
  });
});
