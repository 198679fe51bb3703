// Dockerfiles and editing sessions for "incremental equals fresh" properties: files whose parts
// refer to each other (global ARGs redeclared in stages, stages named and copied from by name and
// index, ENV/ARG chains, directives, heredocs, continuations, pragmas, CRLF), and edits as a
// person makes them (typing a line a character at a time, deleting, indenting, joining and
// splitting continued lines, renaming a stage or a variable, pasting a block). Every edit yields
// the versions the editor would send, one per keystroke where a keystroke is what happens.
import * as fc from 'fast-check';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import type { BuildContextReader, ImageResolver, PlanOptions } from '../../server/plan/types';

/** Variable names shared by global ARGs, stage ARGs, ENV and references (so edits meet). */
export const VARIABLES = ['R', 'V', 'BASE', 'HOME', 'APP_DIR', 'TARGETARCH'] as const;
/** Stage names (renames switch between them, so references may break and mend). */
export const STAGE_NAMES = ['build', 'base', 'tools', 'out', 'Build'] as const;

type Var = (typeof VARIABLES)[number];

/** What a body line may refer to: a variable and an earlier stage (by name or index). */
interface LineRefs {
  v: Var;
  u: Var;
  stage: string;
  value: string;
}

/** Body lines of a stage (some spanning lines; `\\\n` is a continuation, rewritten under `# escape=`). */
const BODY: readonly ((r: LineRefs) => string)[] = [
  (r) => `ARG ${r.v}`,
  (r) => `ARG ${r.v}=${r.value}`,
  (r) => `ENV ${r.v}=${r.value}`,
  (r) => `ENV ${r.v}=\${${r.u}}/x`,
  (r) => `ENV ${r.v}=\${${r.u}:-d}-$${r.v}`,
  (r) => `ENV ${r.v} legacy \${${r.u}}`,
  (r) => `RUN echo $${r.v} && ls /`,
  (r) => `RUN ["sh", "-c", "echo $${r.v}"]`,
  (r) => `RUN --mount=type=cache,from=${r.stage},target=/cache make`,
  (r) => `RUN --mount=type=bind,from=${r.stage},source=/out,target=/m cp /m/x /x`,
  (r) => `COPY --from=${r.stage} /out /in/${r.value}`,
  () => 'COPY . /src',
  () => 'COPY app.txt big.bin /app/',
  (r) => `COPY --chown=\${${r.v}} app.txt /b`,
  () => 'ADD https://example.invalid/x.tar.gz /tmp/',
  () => 'ADD vendor.tar.gz /opt/',
  (r) => `USER $${r.v}`,
  () => 'USER 1000:1000',
  (r) => `WORKDIR /w/\${${r.v}}`,
  () => 'WORKDIR rel',
  (r) => `RUN <<EOF\necho $${r.v}\nrm -rf /tmp/x\nEOF`,
  (r) => `COPY <<EOT /etc/conf\nkey=\${${r.v}}\nEOT`,
  (r) => `RUN <<-"EOF" bash\n\techo $${r.u}\n\tEOF`,
  () => 'ONBUILD RUN echo onbuild',
  (r) => `ONBUILD COPY --from=${r.stage} /a /b`,
  () => 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  () => 'RUN apt-get update && \\\n    apt-get install -y curl jq && \\\n    rm -rf /var/lib/apt/lists/*',
  () => 'RUN apt-get update && apt-get install -y curl',
  (r) => `RUN set -eux; \\\n    # fetch\n    curl -fsSL https://example.invalid/$${r.v} | tar -xz -C /opt; \\\n    chmod +x /opt/x`,
  () => '# hadolint ignore=DL3008,DL3009\nRUN apt-get install -y curl',
  () => '# hadolint ignore=DL3003\nRUN cd /tmp && rm -rf big.bin',
  () => '# a comment',
  () => '',
  (r) => `LABEL org.example.v=\${${r.v}} other="a b"`,
  () => 'EXPOSE 8080/tcp 9090',
  () => 'CMD ["/app", "--help"]',
  () => 'CMD run now',
  (r) => `ENTRYPOINT ["/bin/${r.value}"]`,
  () => 'HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1',
  () => 'STOPSIGNAL SIGTERM',
  () => 'VOLUME ["/data"]',
  () => 'RUN pip install flask && npm ci',
  () => 'RUN rm -f /app/big.bin',
  (r) => `RUN --mount=type=secret,id=${r.value} cat /run/secrets/${r.value}`,
  () => 'MAINTAINER someone',
];

/** Where a stage starts from: an image, an earlier stage (name or index), a global ARG. */
const BASES: readonly ((r: LineRefs) => string)[] = [
  () => 'alpine:3.20',
  () => 'debian:12',
  () => 'scratch',
  (r) => r.stage,
  () => '${BASE}',
  () => '${BASE:-busybox}',
  () => '--platform=$BUILDPLATFORM golang:1.22',
  (r) => `$${r.v}`,
];

const DIRECTIVES = ['# syntax=docker/dockerfile:1', '# escape=`', '# escape=\\', '# check=skip=JSONArgsRecommended', '# check=error=true', '# syntax=docker/dockerfile:1.7-labs'] as const;

const refsArb: fc.Arbitrary<LineRefs> = fc.record({
  v: fc.constantFrom(...VARIABLES),
  u: fc.constantFrom(...VARIABLES),
  stage: fc.oneof(fc.constantFrom(...STAGE_NAMES), fc.constantFrom('0', '1', '2', 'alpine', 'nope')),
  value: fc.constantFrom('1', '2', 'x', 'a b', '"q"', '$R', '${V}', '/p'),
});

interface StageSpec {
  base: number;
  baseRefs: LineRefs;
  name: string | undefined;
  body: { template: number; refs: LineRefs }[];
}

/** A Dockerfile's parts before it is written out. */
export interface DockerfileSpec {
  directives: string[];
  globals: { v: Var; value: string | undefined }[];
  stages: StageSpec[];
  crlf: 'none' | 'all' | 'some';
}

const bodyLineArb = fc.record({ template: fc.nat({ max: BODY.length - 1 }), refs: refsArb });

export const dockerfileSpecArb: fc.Arbitrary<DockerfileSpec> = fc.record({
  directives: fc.subarray([...DIRECTIVES], { maxLength: 3 }),
  globals: fc.array(fc.record({ v: fc.constantFrom(...VARIABLES), value: fc.option(fc.constantFrom('1', '2', 'alpine:3.20', 'debian:12', 'build', '${R}'), { nil: undefined }) }), { maxLength: 4 }),
  stages: fc.array(fc.record({
    base: fc.nat({ max: BASES.length - 1 }),
    baseRefs: refsArb,
    name: fc.option(fc.constantFrom(...STAGE_NAMES), { nil: undefined }),
    body: fc.array(bodyLineArb, { maxLength: 9 }),
  }), { minLength: 1, maxLength: 4 }),
  crlf: fc.constantFrom('none', 'none', 'none', 'all', 'some'),
});

/** A stage's body line written out (continuations with `escape`). */
function bodyText(template: number, refs: LineRefs, escape: string): string {
  const text = BODY[template % BODY.length](refs);
  return escape === '\\' ? text : text.split('\\\n').join(`${escape}\n`);
}

/** The escape character the directives choose (the first escape directive wins). */
function escapeOf(directives: readonly string[]): string {
  const found = directives.find((d) => d.startsWith('# escape='));
  return found ? found.slice('# escape='.length) : '\\';
}

/** The Dockerfile text of a spec. */
export function writeDockerfile(spec: DockerfileSpec): string {
  const escape = escapeOf(spec.directives);
  const lines: string[] = [...spec.directives];
  for (const g of spec.globals) lines.push(g.value === undefined ? `ARG ${g.v}` : `ARG ${g.v}=${g.value}`);
  for (const stage of spec.stages) {
    const base = BASES[stage.base % BASES.length](stage.baseRefs);
    lines.push(`FROM ${base}${stage.name ? ` AS ${stage.name}` : ''}`);
    for (const line of stage.body) lines.push(bodyText(line.template, line.refs, escape));
  }
  const text = lines.join('\n') + '\n';
  if (spec.crlf === 'all') return text.replace(/\n/g, '\r\n');
  if (spec.crlf === 'some') return text.split('\n').map((l, i) => (i % 3 === 1 ? `${l}\r` : l)).join('\n').replace(/\r$/, '');
  return text;
}

/** An edit, placed by numbers that are taken modulo what the text has (so shrinking keeps it valid). */
export type Edit =
  | { kind: 'type'; line: number; template: number; refs: LineRefs; indent: string }
  | { kind: 'delete'; line: number; count: number }
  | { kind: 'indent'; line: number; indent: string }
  | { kind: 'unindent'; line: number }
  | { kind: 'join'; line: number }
  | { kind: 'split'; line: number; at: number }
  | { kind: 'renameStage'; from: string; to: string; everywhere: boolean }
  | { kind: 'renameVariable'; from: Var; to: Var; occurrence: number | 'all' }
  | { kind: 'paste'; line: number; block: { template: number; refs: LineRefs }[]; stage: string | undefined }
  | { kind: 'typeDirective'; directive: string }
  | { kind: 'backspace'; line: number; count: number }
  | { kind: 'character'; at: number; insert: string; remove: number }
  | { kind: 'lineEnding'; line: number }
  | { kind: 'duplicate'; line: number; count: number; to: number }
  | { kind: 'undo'; steps: number };

const lineNo = fc.nat({ max: 60 });

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type' as const), line: lineNo, template: fc.nat({ max: BODY.length - 1 }), refs: refsArb, indent: fc.constantFrom('', '', '  ', '\t') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), line: lineNo, count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('indent' as const), line: lineNo, indent: fc.constantFrom('  ', '\t', ' ') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unindent' as const), line: lineNo }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), line: lineNo }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), line: lineNo, at: fc.nat({ max: 80 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renameStage' as const), from: fc.constantFrom(...STAGE_NAMES), to: fc.constantFrom(...STAGE_NAMES, 'b2', 'x'), everywhere: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renameVariable' as const), from: fc.constantFrom(...VARIABLES), to: fc.constantFrom(...VARIABLES), occurrence: fc.oneof(fc.constant('all' as const), fc.nat({ max: 6 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paste' as const), line: lineNo, block: fc.array(bodyLineArb, { minLength: 1, maxLength: 4 }), stage: fc.option(fc.constantFrom(...STAGE_NAMES, 'alpine', '0'), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('typeDirective' as const), directive: fc.constantFrom(...DIRECTIVES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('backspace' as const), line: lineNo, count: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('character' as const), at: fc.nat({ max: 2000 }), insert: fc.constantFrom('', '1', 'x', ' ', '\\', '`', '$', '{', '}', '"', '#', '\n', '=', '-', '<<EOF\n', ']', '\t', '\r', '\ufeff', '\u00e9', ' \\\n'), remove: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lineEnding' as const), line: lineNo }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), line: lineNo, count: fc.integer({ min: 1, max: 6 }), to: lineNo }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), steps: fc.integer({ min: 1, max: 8 }) }) },
);

/** Lines of `text` with their line endings kept (the last may have none). */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The text's line ending (CRLF when the first line has one). */
function eolOf(text: string): string {
  return /^[^\n]*\r\n/.test(text) ? '\r\n' : '\n';
}

const at = (n: number, length: number) => (length === 0 ? 0 : n % length);

/** Versions typed one character at a time: `before + prefix + after` for every prefix of `typed`. */
function typing(before: string, typed: string, after: string): string[] {
  const versions: string[] = [];
  for (let i = 1; i <= typed.length; i++) versions.push(before + typed.slice(0, i) + after);
  return versions;
}

/** The versions an edit makes of `text` (one per keystroke when typed; none when it changes nothing). */
export function applyEdit(text: string, edit: Edit): string[] {
  const lines = linesOf(text);
  const eol = eolOf(text);
  const escape = escapeOf(lines.filter((l) => l.startsWith('# escape=')).map((l) => l.trim()));
  const join = (ls: readonly string[]) => ls.join('');
  switch (edit.kind) {
    case 'type': {
      const i = at(edit.line, lines.length + 1);
      const typed = edit.indent + bodyText(edit.template, edit.refs, escape).split('\n').join(`\n${edit.indent}`).replace(/\n/g, eol) + eol;
      return typing(join(lines.slice(0, i)), typed, join(lines.slice(i)));
    }
    case 'delete': {
      if (lines.length === 0) return [];
      const i = at(edit.line, lines.length);
      return [join([...lines.slice(0, i), ...lines.slice(i + edit.count)])];
    }
    case 'indent': {
      if (lines.length === 0) return [];
      const i = at(edit.line, lines.length);
      return [join(lines.map((l, n) => (n === i ? edit.indent + l : l)))];
    }
    case 'unindent': {
      const indented = lines.map((l, n) => [l, n] as const).filter(([l]) => /^[ \t]/.test(l));
      if (indented.length === 0) return [];
      const i = indented[at(edit.line, indented.length)][1];
      return [join(lines.map((l, n) => (n === i ? l.replace(/^[ \t]+/, '') : l)))];
    }
    case 'join': {
      // Removes a line break (and the continuation before it, when there is one).
      if (lines.length < 2) return [];
      const i = at(edit.line, lines.length - 1);
      const joined = lines[i].replace(/[ \t]*[\\`]?\r?\n$/, ' ') + lines[i + 1].replace(/^[ \t]+/, '');
      return [join([...lines.slice(0, i), joined, ...lines.slice(i + 2)])];
    }
    case 'split': {
      // Breaks a line at a space with a continuation, as a person tidying a long RUN does.
      if (lines.length === 0) return [];
      const i = at(edit.line, lines.length);
      const spaces = [...lines[i].matchAll(/ /g)].map((m) => m.index ?? 0);
      if (spaces.length === 0) return [];
      const s = spaces[at(edit.at, spaces.length)];
      const split = `${lines[i].slice(0, s)} ${escape}${eol}    ${lines[i].slice(s + 1)}`;
      return [join([...lines.slice(0, i), split, ...lines.slice(i + 1)])];
    }
    case 'renameStage': {
      if (edit.from === edit.to) return [];
      const pattern = new RegExp(`((?:AS|as|FROM|--from=|from=)\\s*)${edit.from}\\b`, 'g');
      let first = true;
      const renamed = text.replace(pattern, (whole: string, head: string) => {
        if (!edit.everywhere && !first) return whole;
        first = false;
        return head + edit.to;
      });
      return renamed === text ? [] : [renamed];
    }
    case 'renameVariable': {
      if (edit.from === edit.to) return [];
      const pattern = new RegExp(`\\b${edit.from}\\b`, 'g');
      let n = 0;
      const renamed = text.replace(pattern, (whole: string) => (edit.occurrence === 'all' || n++ === edit.occurrence ? edit.to : whole));
      return renamed === text ? [] : [renamed];
    }
    case 'paste': {
      const i = at(edit.line, lines.length + 1);
      const block = [...(edit.stage ? [`FROM ${edit.stage}`] : []), ...edit.block.map((b) => bodyText(b.template, b.refs, escape))].join('\n').replace(/\n/g, eol) + eol;
      return [join([...lines.slice(0, i), block, ...lines.slice(i)])];
    }
    case 'typeDirective':
      return typing('', edit.directive + eol, text);
    case 'backspace': {
      // Deletes the end of a line a character at a time (the line break stays).
      if (lines.length === 0) return [];
      const i = at(edit.line, lines.length);
      const body = lines[i].replace(/\r?\n$/, '');
      const ending = lines[i].slice(body.length);
      const versions: string[] = [];
      for (let k = 1; k <= Math.min(edit.count, body.length); k++) versions.push(join([...lines.slice(0, i), body.slice(0, body.length - k) + ending, ...lines.slice(i + 1)]));
      return versions;
    }
    case 'character': {
      const p = at(edit.at, text.length + 1);
      const changed = text.slice(0, p) + edit.insert + text.slice(p + edit.remove);
      return changed === text ? [] : [changed];
    }
    case 'lineEnding': {
      const ended = lines.map((l, n) => [l, n] as const).filter(([l]) => l.endsWith('\n'));
      if (ended.length === 0) return [];
      const i = ended[at(edit.line, ended.length)][1];
      const flipped = lines[i].endsWith('\r\n') ? lines[i].slice(0, -2) + '\n' : lines[i].slice(0, -1) + '\r\n';
      return [join(lines.map((l, n) => (n === i ? flipped : l)))];
    }
    case 'duplicate': {
      // Copies lines of the file (a stage, a few instructions) and pastes them elsewhere.
      if (lines.length === 0) return [];
      const i = at(edit.line, lines.length);
      const block = lines.slice(i, i + edit.count).map((l) => (l.endsWith('\n') ? l : l + eol));
      const j = at(edit.to, lines.length + 1);
      return [join([...lines.slice(0, j), ...block, ...lines.slice(j)])];
    }
    case 'undo':
      return []; // versionsOf goes back to an earlier version
  }
}

/** Every version a session makes: the first text, then each edit's versions in turn. */
export function versionsOf(first: string, edits: readonly Edit[]): string[] {
  const versions = [first];
  for (const edit of edits) {
    // Undo: the editor sends an earlier version's text again (keystrokes undone one at a time).
    if (edit.kind === 'undo') for (let k = 0; k < edit.steps && versions.length > 1 + 2 * k; k++) versions.push(versions[versions.length - 2 - 2 * k]);
    else versions.push(...applyEdit(versions[versions.length - 1], edit));
  }
  return versions;
}

/** An editing session: a file and a few edits. */
export interface EditSession {
  spec: DockerfileSpec;
  edits: Edit[];
}

export const editSessionArb: fc.Arbitrary<EditSession> = fc.record({ spec: dockerfileSpecArb, edits: fc.array(editArb, { minLength: 1, maxLength: 4 }) });

/** A session's versions (for a failing case's message: the texts, as JSON strings). */
export function describeVersions(versions: readonly string[], upTo: number): string {
  return versions.slice(Math.max(0, upTo - 1), upTo + 1).map((v) => JSON.stringify(v)).join('\n  -> ');
}

/** Build inputs a session plans with: a build context that knows some sources, local images with configs. */
export const planInputsArb: fc.Arbitrary<Pick<PlanOptions, 'context' | 'images'>> = fc.record({
  context: fc.option(fc.constant<BuildContextReader>({
    checksum: (source, options) => (source.startsWith('missing') ? undefined : `${source.length}${options.excludes.join(',')}${options.parents ? 'p' : ''}`.padEnd(64, '0')),
  }), { nil: undefined }),
  images: fc.option(fc.constant<ImageResolver>({
    digest: (ref) => (ref.includes('alpine') || ref.includes('debian') ? `sha256:${String(ref.length).padStart(64, '0')}` : undefined),
    config: (ref) => (ref.includes('alpine') ? { env: ['PATH=/usr/bin', 'R=image', 'HOME=/root'], workingDir: '/srv', user: 'app', shell: ['/bin/ash', '-c'] } : undefined),
  }), { nil: undefined }),
}, { requiredKeys: [] });

/** Whether splitting `s` at `i` would cut a CRLF pair or a surrogate pair (an editor never does). */
function cuts(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const a = s.charCodeAt(i - 1);
  const b = s.charCodeAt(i);
  return (a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff);
}

/**
 * The ranged changes that turn `document` into `next`: the span between the common prefix and
 * suffix, as one change or (`twice`) as a deletion then an insertion.
 */
export function rangedChanges(document: TextDocument, next: string, twice: boolean): TextDocumentContentChangeEvent[] {
  const old = document.getText();
  const max = Math.min(old.length, next.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && old.charCodeAt(old.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  while (start > 0 && (cuts(old, start) || cuts(next, start))) start--;
  while (end > 0 && (cuts(old, old.length - end) || cuts(next, next.length - end))) end--;
  const range = { start: document.positionAt(start), end: document.positionAt(old.length - end) };
  const text = next.slice(start, next.length - end);
  if (twice && text !== '' && start < old.length - end) return [{ range, text: '' }, { range: { start: range.start, end: range.start }, text }];
  return [{ range, text }];
}
