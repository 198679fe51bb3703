import * as assert from 'assert';
import { lint, only, textAt } from './lintText';

describe('rules: layer-aware', () => {
  describe('FileDeletedInLaterLayer', () => {
    it('reports a copied file deleted by a later RUN, at the rm operand', () => {
      const t = 'FROM alpine:3.20\nWORKDIR /tmp\nCOPY app.tar.gz ./\nRUN tar xzf app.tar.gz -C /opt && rm app.tar.gz\n';
      const [p] = only(lint(t), 'FileDeletedInLaterLayer');
      assert.ok(p);
      assert.strictEqual(textAt(t, p.range), 'app.tar.gz');
      assert.strictEqual(p.range.start.line, 3);
      assert.match(p.message, /^\/tmp\/app\.tar\.gz was added by COPY on line 3; deleting it in a later layer does not shrink the image \(size unknown\)$/);
    });
    it('reports apt lists fetched in one RUN and removed in another, and downloads removed later', () => {
      const t = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x=1\nRUN rm -rf /var/lib/apt/lists/*\nRUN curl -o /tmp/i.sh https://x.org/i.sh\nRUN cd /tmp && rm -f i.sh\n';
      const found = only(lint(t), 'FileDeletedInLaterLayer');
      assert.deepStrictEqual(found.map((p) => [p.range.start.line, textAt(t, p.range)]), [[3, '/var/lib/apt/lists/*'], [5, 'i.sh']]);
      assert.match(found[0].message, /apt-get update on line 2/);
    });
    it('is quiet when the file is removed in the same RUN, or the stage does not ship', () => {
      const quiet = [
        'FROM debian:12\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n',
        'FROM alpine:3.20 AS build\nCOPY big.bin /tmp/\nRUN rm /tmp/big.bin\nFROM alpine:3.20\nCOPY --from=build /etc/os-release /x\n',
        'FROM alpine:3.20\nCOPY a /a\nRUN rm -rf /b\n',
      ];
      for (const t of quiet) assert.deepStrictEqual(only(lint(t), 'FileDeletedInLaterLayer'), [], t);
    });
    it('reports files written by redirections, touch, tee, cp and mv, with variables from ENV, at the rm operand', () => {
      const t = 'FROM debian:12\nENV D=/t\nRUN echo hi > $D/a && touch /t/b && cp /etc/hosts /opt/h && curl -fsSL https://x.org/f.tgz > f.tgz && echo $(date) > /t/c && echo x | sudo tee /t/d\nRUN rm -f /t/a /t/b /opt/h /f.tgz /t/c /etc/hosts /t/d\n';
      const found = only(lint(t), 'FileDeletedInLaterLayer');
      assert.deepStrictEqual(found.map((p) => [textAt(t, p.range), /added by (\S+) on line 3/.exec(p.message)?.[1]]), [['/t/a', 'echo'], ['/t/b', 'touch'], ['/opt/h', 'cp'], ['/f.tgz', 'curl'], ['/t/d', 'tee']]);
    });
    it('reports a file a RUN writes from its here-document', () => {
      const t = 'FROM debian:12\nRUN cat <<EOF > /etc/app.conf\nkey=1\nEOF\nRUN rm /etc/app.conf\n';
      assert.deepStrictEqual(only(lint(t), 'FileDeletedInLaterLayer').map((p) => [p.range.start.line, textAt(t, p.range)]), [[4, '/etc/app.conf']]);
    });
    it('is quiet for writes to /dev, or whose path is not known', () => {
      const t = 'FROM debian:12\nRUN make > /dev/null && echo x > /t/$UNSET/y\nRUN rm -rf /t/y /dev/null\n';
      assert.deepStrictEqual(only(lint(t), 'FileDeletedInLaterLayer'), []);
    });
    it('follows FROM <stage> chains', () => {
      const t = 'FROM alpine:3.20 AS base\nCOPY pkg.tgz /tmp/pkg.tgz\nFROM base\nRUN rm /tmp/pkg.tgz\n';
      assert.strictEqual(only(lint(t), 'FileDeletedInLaterLayer').length, 1);
    });
  });

  describe('ContextCopiedBeforeDependencies', () => {
    it('reports COPY . before npm ci at the source word', () => {
      const t = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
      const [p] = only(lint(t), 'ContextCopiedBeforeDependencies');
      assert.deepStrictEqual(p.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 6 } });
      assert.match(p.message, /line 4 \(npm ci\).*package\.json and package-lock\.json/);
    });
    it('recognises other package managers', () => {
      for (const run of ['pip install -r requirements.txt', 'go mod download', 'bundle install', 'poetry install']) {
        assert.strictEqual(only(lint(`FROM x:1\nCOPY . /src\nRUN ${run}\n`), 'ContextCopiedBeforeDependencies').length, 1, run);
      }
    });
    it('is quiet for manifest-first ordering', () => {
      const t = 'FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n';
      assert.deepStrictEqual(only(lint(t), 'ContextCopiedBeforeDependencies'), []);
    });
  });

  describe('SecretCopiedIntoLayer', () => {
    it('reports secret-looking sources', () => {
      const t = 'FROM alpine:3.20\nCOPY .env id_rsa config/ /app/\n';
      assert.deepStrictEqual(only(lint(t), 'SecretCopiedIntoLayer').map((p) => textAt(t, p.range)), ['.env', 'id_rsa']);
    });
    it('reports a whole-context copy that would include secrets found in the context', () => {
      const t = 'FROM alpine:3.20\nCOPY . /app\nCOPY src /src\n';
      const found = only(lint(t, { contextSecrets: ['certs/server.key', 'src/.npmrc'] }), 'SecretCopiedIntoLayer');
      assert.deepStrictEqual(found.map((p) => p.range.start.line), [1, 2]);
      assert.match(found[0].message, /'certs\/server\.key', 'src\/\.npmrc'/);
    });
    it('is quiet for ordinary files, examples and public keys', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nCOPY .env.example id_rsa.pub app.js /app/\n'), 'SecretCopiedIntoLayer'), []);
    });
  });
});
