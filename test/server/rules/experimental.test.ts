import * as assert from 'assert';
import { lint, only, textAt } from './lintText';

describe('rules: BuildKit experimental checks', () => {
  describe('CopyIgnoredFile', () => {
    const dockerignore = ['*.md', '!README.md', 'secrets', 'build/**/tmp'];
    it('is off unless enabled with # check=experimental=...', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nCOPY NOTES.md /\n', { dockerignore }), 'CopyIgnoredFile'), []);
    });
    it('reports sources .dockerignore excludes (parents and exceptions honoured)', () => {
      const t = '# check=experimental=CopyIgnoredFile\nFROM alpine:3.20\nCOPY NOTES.md README.md secrets/a.txt build/x/tmp/y /dst/\nADD ./secrets /s\nCOPY --from=other NOTES.md /n\n';
      const found = only(lint(t, { dockerignore }), 'CopyIgnoredFile');
      assert.deepStrictEqual(found.map((p) => textAt(t, p.range)), ['NOTES.md', 'secrets/a.txt', 'build/x/tmp/y', './secrets']);
      assert.strictEqual(found[0].message, 'Attempting to Copy file "NOTES.md" that is excluded by .dockerignore');
      // BuildKit cleans the path before quoting it.
      assert.strictEqual(found[3].message, 'Attempting to Add file "secrets" that is excluded by .dockerignore');
    });
    it('can be enabled from the settings instead', () => {
      assert.strictEqual(only(lint('FROM alpine:3.20\nCOPY NOTES.md /\n', { dockerignore }, { severity: { CopyIgnoredFile: 'error' } }), 'CopyIgnoredFile')[0]?.severity, 'error');
    });
  });

  describe('InvalidDefinitionDescription', () => {
    it('reports a comment above a named stage or ARG that does not start with the name', () => {
      const t = '# check=experimental=all\n# a non-descriptive comment\nFROM scratch AS base\n# another comment\nARG VERSION=1\n';
      const found = only(lint(t), 'InvalidDefinitionDescription');
      assert.deepStrictEqual(found.map((p) => p.message), [
        'Comment for FROM should follow the format: `# base <description>`',
        'Comment for ARG should follow the format: `# VERSION <description>`',
      ]);
      assert.strictEqual(found[0].range.start.line, 1);
    });
    it('accepts descriptions and separated comments', () => {
      const t = '# check=experimental=all\n# base is a stage for compiling source\nFROM scratch AS base\n# unrelated\n\nARG VERSION=1\n# VERSION This is the version number.\nARG VERSION\n';
      assert.deepStrictEqual(only(lint(t), 'InvalidDefinitionDescription'), []);
    });
  });

  describe('NoEmptyContinuation (reported by the parser)', () => {
    it('appears exactly once, governed by # check=skip', () => {
      const t = 'FROM alpine:3.20\nRUN echo a && \\\n\n    echo b\n';
      assert.strictEqual(only(lint(t), 'NoEmptyContinuation').length, 1);
      assert.deepStrictEqual(only(lint('# check=skip=NoEmptyContinuation\n' + t), 'NoEmptyContinuation'), []);
    });
  });
});
