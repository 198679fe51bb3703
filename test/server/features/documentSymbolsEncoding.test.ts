// The outline kept per stage across re-parses (computeDocumentSymbols, encodeOutline) is the outline
// of a parse from scratch (new instruction objects, so nothing kept), its JSON byte for byte what
// JSON.stringify gives, across editing sessions.
import * as assert from 'assert';
import * as fc from 'fast-check';
import { computeDocumentSymbols, encodeOutline } from '../../../server/features/documentSymbols';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { describeVersions, editSessionArb, versionsOf, writeDockerfile } from '../incrementalEdits';

/** `syntax` (of `text`, maybe re-parsed) outlines and encodes as a parse of `text` from scratch. */
function encodedAsStringified(syntax: DockerfileSyntax, text: string, compact: boolean, message: string): void {
  const fresh = computeDocumentSymbols(parseDockerfile(text), compact);
  assert.deepStrictEqual(computeDocumentSymbols(syntax, compact), fresh, message);
  assert.strictEqual(encodeOutline(computeDocumentSymbols(syntax, compact)).toString('utf-8'), JSON.stringify(fresh), message);
}

describe('document symbols encoded per stage', () => {
  it('gives JSON.stringify of the outline for every version of random editing sessions, compact or not', () => {
    fc.assert(fc.property(editSessionArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), ({ spec, edits }, compacts) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      let syntax = parseDockerfile(versions[0]);
      encodedAsStringified(syntax, versions[0], compacts[0], 'version 0');
      for (let i = 1; i < versions.length; i++) {
        syntax = parseDockerfile(versions[i], { previous: { text: versions[i - 1], syntax } });
        encodedAsStringified(syntax, versions[i], compacts[i % compacts.length], `version ${i}:\n  ${describeVersions(versions, i)}`);
      }
    }), { numRuns: 200 });
  });

  it('names an unnamed stage by its new index once a stage is added before it, its instructions unchanged', () => {
    const before = 'FROM alpine AS a\nRUN echo a\n# c\nRUN echo x\nFROM alpine\nRUN echo b\n';
    const after = 'FROM alpine AS a\nRUN echo a\nFROM busybox\nRUN echo x\nFROM alpine\nRUN echo b\n';
    const first = parseDockerfile(before);
    encodedAsStringified(first, before, true, 'before');
    const second = parseDockerfile(after, { previous: { text: before, syntax: first } });
    // The re-parse keeps the last stage's instructions (same line, same text) ...
    assert.strictEqual(second.instructions[4], first.instructions[3]);
    // ... yet its outline entry is now "stage 2", not the kept "stage 1".
    encodedAsStringified(second, after, true, 'after');
    assert.ok(encodeOutline(computeDocumentSymbols(second, true)).toString().includes('"name":"stage 2"'));
  });

  it('encodes an edited stage again and keeps the others, in a large file with non-ASCII text', () => {
    const stage = (s: number, word: string) => [`FROM alpine AS bühne-${s}`, ...Array.from({ length: 50 }, (_, i) => `RUN echo "${word} ${i} ✓" && \\\n    true`)].join('\n');
    const text = Array.from({ length: 20 }, (_, s) => stage(s, 'grüß')).join('\n') + '\n';
    let syntax = parseDockerfile(text);
    encodedAsStringified(syntax, text, true, 'first');
    encodedAsStringified(syntax, text, false, 'first, not compact');
    const edited = text.replace('grüß 7 ✓', 'grüße 7 ✓'); 
    syntax = parseDockerfile(edited, { previous: { text, syntax } });
    encodedAsStringified(syntax, edited, false, 'after an edit in the first stage');
  });
});
