import * as assert from 'assert';
import { fixOnce, lint, only, textAt } from './lintText';

describe('rules: variables', () => {
  describe('UndefinedVar', () => {
    it('reports an undefined variable at its name with a did-you-mean fix', () => {
      const text = 'FROM scratch\nENV PATH=$PAHT:/app/bin\n';
      const [p] = only(lint(text), 'UndefinedVar');
      assert.strictEqual(p.message, "Usage of undefined variable '$PAHT' (did you mean $PATH?)");
      assert.strictEqual(textAt(text, p.range), 'PAHT');
      assert.strictEqual(fixOnce(text, 'UndefinedVar'), 'FROM scratch\nENV PATH=$PATH:/app/bin\n');
    });
    it('reports undefined variables in COPY, WORKDIR, ARG defaults and continued lines', () => {
      const text = 'FROM scratch\nCOPY $foo .\nARG VERSION=$bar\nWORKDIR /src/\\\n${baz}\n';
      const found = only(lint(text), 'UndefinedVar');
      assert.deepStrictEqual(found.map((p) => textAt(text, p.range)), ['foo', 'bar', 'baz']);
      assert.deepStrictEqual(found[2].range.start, { line: 4, character: 2 });
    });
    it('accepts ARG (declared, with or without value), ENV, inherited stages, and leaves RUN to the shell', () => {
      const text = [
        'ARG GLOBAL=1',
        'FROM alpine:3.20 AS base',
        'ARG foo',
        'ENV HOME_DIR=/home',
        'FROM base',
        'ARG GLOBAL',
        'COPY $foo ${HOME_DIR}/ ',
        'RUN echo $undefined_in_shell',
        'CMD echo $also_shell',
        'USER ${GLOBAL}',
      ].join('\n');
      assert.deepStrictEqual(only(lint(text), 'UndefinedVar'), []);
    });
    it('does not let ENV see its own earlier pairs (BuildKit expands with the previous environment)', () => {
      assert.strictEqual(only(lint('FROM scratch\nENV A=1 B=$A\n'), 'UndefinedVar').length, 1);
    });
    it('checks expanded COPY heredocs but not quoted ones', () => {
      const text = 'FROM scratch\nCOPY <<EOF /a\n$nope\nEOF\nCOPY <<"EOF" /b\n$fine\nEOF\n';
      const found = only(lint(text), 'UndefinedVar');
      assert.deepStrictEqual(found.map((p) => p.range.start), [{ line: 2, character: 1 }]);
    });
    it('stays quiet on stages built on an external image whose environment is unknown, and on stages built on those', () => {
      const external = 'FROM eclipse-temurin:21 AS jdk\nENV TOOLS=$JAVA_HOME/bin\nFROM jdk\nWORKDIR $JAVA_HOME\n';
      assert.deepStrictEqual(only(lint(external), 'UndefinedVar'), []);
      // The same names on scratch (whose environment is known to be empty) are reported.
      const scratch = 'FROM scratch AS jdk\nENV TOOLS=$JAVA_HOME/bin\nFROM jdk\nWORKDIR $JAVA_HOME\n';
      assert.deepStrictEqual(only(lint(scratch), 'UndefinedVar').map((p) => p.range.start.line), [1, 3]);
    });
    it('uses the environment of an image the store knows', () => {
      const text = 'FROM eclipse-temurin:21\nENV TOOLS=$JAVA_HOME/bin LIB=$JAVA_LIB\n';
      const images = { find: () => ({ digest: 'sha256:' + '0'.repeat(64), env: { JAVA_HOME: '/opt/java' } }) };
      const found = only(lint(text, { images }), 'UndefinedVar');
      assert.deepStrictEqual(found.map((p) => textAt(text, p.range)), ['JAVA_LIB']);
    });
  });

  describe('SecretsUsedInArgOrEnv', () => {
    it('reports secret-looking ARG and ENV names at the key', () => {
      const text = 'FROM alpine:3.20\nARG AWS_SECRET_ACCESS_KEY\nENV GITHUB_TOKEN=x db_password=y\n';
      const found = only(lint(text), 'SecretsUsedInArgOrEnv');
      assert.deepStrictEqual(found.map((p) => textAt(text, p.range)), ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'db_password']);
      assert.strictEqual(found[0].message, 'Do not use ARG or ENV instructions for sensitive data (ARG "AWS_SECRET_ACCESS_KEY")');
    });
    it('accepts public keys and unrelated names', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nARG PUBLIC_KEY\nENV KEYBOARD=us MONKEY=1\n'), 'SecretsUsedInArgOrEnv'), []);
    });
  });
});
