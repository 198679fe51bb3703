// Property: re-parsing each version of an editing session from the last version parsed gives exactly
// the tree a parse from scratch gives (sessions from incrementalEdits.ts: directives, heredocs,
// continuations, CRLF, typing a character at a time).
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseDockerfile, type DockerfileSyntax } from '../../../server/parser';
import { describeVersions, editSessionArb, versionsOf, writeDockerfile } from '../incrementalEdits';

const plain = (s: DockerfileSyntax) => JSON.parse(JSON.stringify(s)) as unknown;

describe('incremental parsing over editing sessions', () => {
  it('gives the tree of a parse from scratch for every version parsed, re-parsed from the last version parsed', function () {
    this.timeout(60000);
    fc.assert(fc.property(editSessionArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), ({ spec, edits }, skips) => {
      const versions = versionsOf(writeDockerfile(spec), edits);
      let previous = { text: versions[0], syntax: parseDockerfile(versions[0]) };
      for (let i = 1; i < versions.length; i++) {
        // Some versions are never parsed (the next change came before anything read the document).
        if (i < versions.length - 1 && skips[i % skips.length]) continue;
        const syntax = parseDockerfile(versions[i], { previous });
        assert.deepStrictEqual(plain(syntax), plain(parseDockerfile(versions[i])), `version ${i}:\n  ${describeVersions(versions, i)}`);
        previous = { text: versions[i], syntax };
      }
    }), { numRuns: 300 });
  });
});
