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

export function readPragmas(syntax: DockerfileSyntax): Pragmas {
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
  syntax.instructions.forEach((instruction, index) => {
    for (let line = instruction.range.start.line - 1; line >= 0; line--) {
      const c = commentAtLine.get(line);
      if (!c) break;
      const m = PRAGMA.exec(c.text);
      if (!m || m[2]) continue;
      const codes = parseCodeList(m[3]);
      let set = byInstruction.get(index);
      if (!set) byInstruction.set(index, (set = new Set()));
      codes.forEach((code) => set.add(code));
      if (!ignoreComment.has(index)) ignoreComment.set(index, { comment: c, tool: m[1].toLowerCase(), codes });
    }
  });
  return { global, byInstruction, nonPosixShell, ignoreComment };
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
