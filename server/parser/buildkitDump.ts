// The s-expression dump of BuildKit's parser tests (`Node.Dump()`): one instruction per line,
// e.g. `(run "echo" "test")`, `(copy ["--from=a"] "x" "y")`, `(onbuild (run "echo hi"))`.
import { isKnownInstruction } from './parseInstruction';
import type { DockerfileSyntax, InstructionNode } from './types';

export function dumpBuildkit(syntax: DockerfileSyntax): string {
  return syntax.instructions.map((i) => `(${dumpInstruction(i)})\n`).join('');
}

function dumpInstruction(node: InstructionNode): string {
  let out = node.keyword.text.toLowerCase();
  if (node.flags.length > 0) out += ` [${node.flags.map((f) => goQuote(`--${f.name}${f.value === undefined ? '' : '=' + f.value}`)).join(' ')}]`;
  if (node.onbuild) return `${out} (${dumpInstruction(node.onbuild)})`;
  if (!isKnownInstruction(node.keyword.text.toLowerCase())) return `${out} ""`;
  for (const arg of node.args) out += ' ' + goQuote(arg.value);
  return out.trim();
}

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Go's strconv.Quote. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else if (printable.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + '"';
}
