import * as assert from 'assert';
import fc from 'fast-check';
import { readDockerignore } from '../../../../server/context/readDockerignore';
import { parseDockerfile } from '../../../../server/parser';
import { planDockerfile } from '../../../../server/plan';
import { predictLayerSizes } from '../../../../server/plan/size';
import { goPathMatch, BadPatternError } from '../../../../server/plan/size/goMatch';
import { PatternMatcher, PatternSyntaxError } from '../../../../server/plan/size/patternMatcher';
import { selectCopySources } from '../../../../server/plan/size/selectCopySources';
import { parseShellCommands } from '../../../../server/parser/shell/shellCommands';
import { expandShellCommands } from '../../../../server/plan/size/expandShellCommands';
import { treeOf } from './treeOf';

const patternChars = fc.constantFrom('a', 'b', '/', '*', '?', '[', ']', '^', '-', '\\', '!', '.', ' ', '#', '{', '}', '(', ')', '|', '+', '$', 'é', '\t');
const pattern = fc.array(patternChars, { maxLength: 12 }).map((cs) => cs.join(''));
const pathPart = fc.constantFrom('a', 'b', 'ab', '.x', 'é', '[', '*', 'a b');
const path = fc.array(pathPart, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('/'));

describe('size prediction never throws on input', () => {
  it('reads any .dockerignore text (problems, never exceptions)', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 6 }), path, (lines, p) => {
        const file = readDockerignore(lines.join('\n'));
        if (file.matcher) assert.strictEqual(typeof file.matcher.matches(p), 'boolean');
        else assert.ok(file.problems.length > 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches any pattern either with a result or a syntax error', () => {
    fc.assert(
      fc.property(pattern, path, (p, name) => {
        try {
          assert.strictEqual(typeof goPathMatch(p, name), 'boolean');
        } catch (error) {
          assert.ok(error instanceof BadPatternError, String(error));
        }
        try {
          PatternMatcher.create([p]).matchesUsingParent(name, undefined);
        } catch (error) {
          assert.ok(error instanceof PatternSyntaxError, String(error));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('selects COPY sources for any source, destination and exclude', () => {
    const tree = treeOf({ 'a/b.txt': 3, 'a/[x].txt': 1, 'ab/*': 2, 'link': '-> a', 'loop': '-> loop', 'é/x': 5 });
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 3 }), pattern, fc.array(pattern, { maxLength: 2 }), fc.boolean(), (sources, dest, excludes, parents) => {
        const s = selectCopySources(tree, { sources, destination: dest, workdir: '/w', excludes, parents });
        assert.ok(Array.isArray(s.entries));
      }),
      { numRuns: 2000 },
    );
  });

  it('splits any shell text', () => {
    const shellChars = fc.constantFrom('a', ' ', '"', "'", '\\', '$', '(', ')', '{', '}', '`', '|', '&', ';', '<', '>', '\n', '#', '=', '*', '1', '2', 'rm', 'apt-get install', 'curl -o', 'for', 'do', 'done', 'if', 'fi');
    fc.assert(
      fc.property(fc.array(shellChars, { maxLength: 40 }), (parts) => {
        assert.ok(Array.isArray(expandShellCommands(parseShellCommands(parts.join('')).commands, { A: 'x' })));
      }),
      { numRuns: 3000 },
    );
  });

  it('predicts sizes for any Dockerfile the parser and planner accept', () => {
    const lines = fc.constantFrom(
      'FROM scratch',
      'FROM debian:12 AS b',
      'FROM b',
      'COPY . /app',
      'COPY --from=b /x /y',
      'COPY --exclude=[ a /b/',
      'ADD http://h/x.tgz /t/',
      'RUN apt-get update && apt-get install -y $PKGS',
      'RUN rm -rf /app/* && chown -R 1 /',
      'RUN curl https://h/x | sh',
      'WORKDIR rel/dir',
      'ARG PKGS=curl',
      'ENV X=1',
      'RUN <<EOF\necho hi > /f\nEOF',
      'COPY <<EOF /etc/x\nbody\nEOF',
    );
    const context = { tree: () => treeOf({ 'a.txt': 1, 'x/y': 2 }), unavailableReason: () => '', archive: () => ({ state: 'not-archive' as const }) };
    fc.assert(
      fc.property(fc.array(lines, { minLength: 1, maxLength: 8 }), (ls) => {
        const plan = planDockerfile(parseDockerfile(ls.join('\n') + '\n'));
        const report = predictLayerSizes(plan, { context });
        for (const s of report.steps) {
          assert.ok(s.prediction.bytes === undefined || Number.isFinite(s.prediction.bytes));
          assert.doesNotMatch(s.prediction.basis, /size prediction failed/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
