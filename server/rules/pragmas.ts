// Suppression comments users already write: hadolint's `# hadolint ignore=DL3008,SC2086` (the
// instruction right below), `# hadolint global ignore=...` (whole file) and `# hadolint shell=...`,
// plus the same with `layerlens` for codes hadolint does not know.
import type { CommentNode, DockerfileSyntax, Range } from '../parser/types';

export interface Pragmas {
  /** Codes ignored in the whole file (as written: DL/SC codes or ours). */
  global: ReadonlySet<string>;
  /** Codes ignored per instruction index. */
  byInstruction: ReadonlyMap<number, ReadonlySet<string>>;
  /** `# hadolint shell=powershell`: the default shell is not POSIX (shell rules are skipped). */
  nonPosixShell: boolean;
  /** The ignore comment directly above each instruction (for quick fixes that extend it). */
  ignoreComment: ReadonlyMap<number, { comment: CommentNode; tool: string; codes: string[] }>;
}

const PRAGMA = /^(hadolint|layerlens)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*(?:#.*)?$/i;
const SHELL_PRAGMA = /^hadolint\s+shell\s*=\s*(\S+)/i;

export function parseCodeList(text: string): string[] {
  return text.split(/[,\s]+/).map((c) => c.trim()).filter((c) => c.length > 0);
}

/** Whether a comment may be a pragma: both patterns start with the tool's name (most comments are not). */
function mayBePragma(text: string): boolean {
  const first = text.charCodeAt(0) | 0x20;
  return first === 0x68 /* h */ || first === 0x6c /* l */;
}

const noPragmas: Pragmas = Object.freeze({ global: new Set<string>(), byInstruction: new Map(), nonPosixShell: false, ignoreComment: new Map() });

export function readPragmas(syntax: DockerfileSyntax): Pragmas {
  if (!syntax.comments.some((c) => mayBePragma(c.text))) return noPragmas;
  const global = new Set<string>();
  const byInstruction = new Map<number, Set<string>>();
  const ignoreComment = new Map<number, { comment: CommentNode; tool: string; codes: string[] }>();
  const commentAtLine = new Map<number, CommentNode>();
  let nonPosixShell = false;
  for (const c of syntax.comments) {
    commentAtLine.set(c.range.start.line, c);
    const m = PRAGMA.exec(c.text);
    if (m && m[2]) parseCodeList(m[3]).forEach((code) => global.add(code));
    const shell = SHELL_PRAGMA.exec(c.text);
    if (shell) nonPosixShell = !/^(sh|bash|dash|ash|ksh|zsh|busybox)$/i.test(shell[1]);
  }
  // Only pragma comments matter: each applies to the instruction right below its comment block.
  const instructions = syntax.instructions;
  for (const c of syntax.comments) {
    const m = PRAGMA.exec(c.text);
    if (!m || m[2]) continue;
    let line = c.range.start.line + 1;
    while (commentAtLine.has(line)) line++;
    const index = firstInstructionFrom(instructions, line);
    if (index === undefined || instructions[index].range.start.line !== line) continue;
    const codes = parseCodeList(m[3]);
    let set = byInstruction.get(index);
    if (!set) byInstruction.set(index, (set = new Set()));
    codes.forEach((code) => set.add(code));
    const existing = ignoreComment.get(index);
    if (!existing || existing.comment.range.start.line < c.range.start.line) ignoreComment.set(index, { comment: c, tool: m[1].toLowerCase(), codes });
  }
  return { global, byInstruction, nonPosixShell, ignoreComment };
}

/** Index of the first instruction starting at or after `line`. */
function firstInstructionFrom(list: DockerfileSyntax['instructions'], line: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].range.start.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? lo : undefined;
}

/** The instruction whose lines contain `range.start` (binary search over sorted instructions). */
export function instructionIndexAt(syntax: DockerfileSyntax, range: Range): number | undefined {
  const list = syntax.instructions;
  const line = range.start.line;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = list[mid].range;
    if (line < r.start.line) hi = mid - 1;
    else if (line > r.end.line) lo = mid + 1;
    else return mid;
  }
  return undefined;
}
