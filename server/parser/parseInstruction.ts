// One logical line -> InstructionNode: keyword, flags, and the arguments cut the way BuildKit's
// per-instruction line parsers cut them (JSON or shell form, words, key/value pairs, ONBUILD).
import { parseFlagOptions } from './flagOptions';
import { parseJsonArray } from './jsonArray';
import { splitCommand } from './splitCommand';
import type { RawFlag } from './splitCommand';
import { isGoSpace } from './shell/goSpace';
import { rangeOfOffsets } from './textSegments';
import type { FlagNode, InstructionNode, KeyValueNode, SyntaxProblem, TextSegment, WordNode } from './types';
import { parseWords, splitOnBlanks } from './wordSplitting';
import type { RawWord } from './wordSplitting';

type ArgumentStyle = 'json-or-string' | 'json-or-list' | 'blank-list' | 'string' | 'env' | 'label' | 'arg' | 'healthcheck' | 'onbuild' | 'ignore';

const argumentStyles: Record<string, ArgumentStyle> = {
  add: 'json-or-list',
  arg: 'arg',
  cmd: 'json-or-string',
  copy: 'json-or-list',
  entrypoint: 'json-or-string',
  env: 'env',
  expose: 'blank-list',
  from: 'blank-list',
  healthcheck: 'healthcheck',
  label: 'label',
  maintainer: 'string',
  onbuild: 'onbuild',
  run: 'json-or-string',
  shell: 'json-or-string',
  stopsignal: 'string',
  user: 'string',
  volume: 'json-or-list',
  workdir: 'string',
};

/** Whether BuildKit knows the instruction (lower-case name). */
export function isKnownInstruction(lowerName: string): boolean {
  return Object.prototype.hasOwnProperty.call(argumentStyles, lowerName);
}

interface Context {
  text: string;
  segments: TextSegment[];
  escape: number;
  problems: SyntaxProblem[];
}

/** Parses `ctx.text.slice(start, end)` as one instruction. */
export function parseInstruction(text: string, segments: TextSegment[], start: number, end: number, escape: number, problems: SyntaxProblem[]): InstructionNode {
  return parseAt({ text, segments, escape, problems }, start, end);
}

function parseAt(ctx: Context, start: number, end: number): InstructionNode {
  const split = splitCommand(ctx.text, start, end);
  const keywordText = ctx.text.slice(split.keywordStart, split.keywordEnd);
  const lower = keywordText.toLowerCase();
  const node: InstructionNode = {
    name: keywordText.toUpperCase(),
    keyword: { text: keywordText, name: keywordText.toUpperCase(), range: rangeOfOffsets(ctx.segments, split.keywordStart, split.keywordEnd) },
    range: rangeOfOffsets(ctx.segments, split.keywordStart, split.argsEnd > split.keywordEnd ? split.argsEnd : split.keywordEnd),
    text: ctx.text,
    flags: split.flags.map((f) => toFlagNode(ctx, f)),
    args: [],
    form: 'shell',
    heredocs: [],
    pairs: [],
    emptyContinuationLines: [],
    precedingComments: [],
    segments: ctx.segments,
  };
  const style = argumentStyles[lower] ?? 'ignore';
  parseArguments(ctx, node, style, split.argsStart, split.argsEnd);
  return node;
}

function word(ctx: Context, raw: RawWord): WordNode {
  return { value: raw.value, range: rangeOfOffsets(ctx.segments, raw.start, raw.end), start: raw.start, end: raw.end };
}

function toFlagNode(ctx: Context, flag: RawFlag): FlagNode {
  const body = flag.word.startsWith('--') ? 2 : 0;
  const eq = flag.word.indexOf('=');
  const name = flag.word.slice(body, eq < 0 ? undefined : eq);
  const node: FlagNode = {
    name,
    value: eq < 0 ? undefined : flag.word.slice(eq + 1),
    text: ctx.text.slice(flag.start, flag.end),
    range: rangeOfOffsets(ctx.segments, flag.start, flag.end),
    nameRange: rangeOfOffsets(ctx.segments, flag.map[body] ?? flag.start, eq < 0 ? flag.end : flag.map[eq]),
  };
  if (eq >= 0) {
    node.valueRange = rangeOfOffsets(ctx.segments, flag.map[eq + 1] ?? flag.end, flag.end);
    if (name === 'mount') {
      node.options = parseFlagOptions(flag, eq + 1).map((o) => ({
        key: o.key,
        value: o.value,
        range: rangeOfOffsets(ctx.segments, o.start, o.end),
        keyRange: rangeOfOffsets(ctx.segments, o.start, o.keyEnd),
        valueRange: o.valueStart === undefined ? undefined : rangeOfOffsets(ctx.segments, o.valueStart, o.end),
      }));
    }
  }
  return node;
}

function problem(ctx: Context, start: number, end: number, message: string, code: string): void {
  ctx.problems.push({ range: rangeOfOffsets(ctx.segments, start, end), message, code, severity: 'error' });
}

function parseArguments(ctx: Context, node: InstructionNode, style: ArgumentStyle, start: number, end: number): void {
  const text = ctx.text;
  switch (style) {
    case 'ignore':
      return;
    case 'string':
      if (end > start) node.args = [word(ctx, { value: text.slice(start, end), start, end })];
      return;
    case 'blank-list':
      node.args = splitOnBlanks(text, start, end).map((w) => word(ctx, w));
      if (node.name === 'FROM') describeFrom(node);
      return;
    case 'json-or-string':
    case 'json-or-list':
      parseMaybeJson(ctx, node, style, start, end);
      return;
    case 'env':
    case 'label':
      parseNameValue(ctx, node, style === 'env' ? 'ENV' : 'LABEL', start, end);
      return;
    case 'arg':
      parseArgWords(ctx, node, start, end);
      return;
    case 'healthcheck':
      parseHealthcheck(ctx, node, start, end);
      return;
    case 'onbuild':
      if (end > start) node.onbuild = parseAt(ctx, start, end);
      return;
  }
}

function parseMaybeJson(ctx: Context, node: InstructionNode, style: ArgumentStyle, start: number, end: number): void {
  if (end <= start) return;
  const json = parseJsonArray(ctx.text, start, end);
  if (json.kind === 'strings') {
    node.form = 'exec';
    node.args = json.items.map((w) => word(ctx, w));
    return;
  }
  if (json.kind === 'not-strings') {
    problem(ctx, start, end, 'when using JSON array syntax, arrays must be comprised of strings only', 'json-not-string-array');
  }
  node.args =
    style === 'json-or-list'
      ? splitOnBlanks(ctx.text, start, end).map((w) => word(ctx, w))
      : [word(ctx, { value: ctx.text.slice(start, end), start, end })];
}

function keyValue(ctx: Context, key: RawWord, value: RawWord | undefined, hasEquals: boolean, whole: RawWord): KeyValueNode {
  return { key: word(ctx, key), value: value && word(ctx, value), range: rangeOfOffsets(ctx.segments, whole.start, whole.end), hasEquals };
}

function parseNameValue(ctx: Context, node: InstructionNode, keyword: string, start: number, end: number): void {
  const text = ctx.text;
  const words = parseWords(text, start, end, ctx.escape);
  if (words.length === 0) return;
  if (!words[0].value.includes('=')) {
    // Legacy `KEY value`: the first run of blanks separates key from the rest, kept verbatim.
    const parts = splitOnBlanks(text, start, end);
    node.legacyKeyValue = true;
    if (parts.length < 2) {
      problem(ctx, start, end, `${keyword} must have two arguments`, 'missing-value');
      const key = parts[0];
      const sep = { value: '', start: key.end, end: key.end };
      node.args = [word(ctx, key), word(ctx, sep), word(ctx, sep)];
      node.pairs = [keyValue(ctx, key, sep, false, key)];
      return;
    }
    const key = parts[0];
    const value = { value: text.slice(parts[1].start, end), start: parts[1].start, end };
    const sep = { value: '', start: value.start, end: value.start };
    node.args = [word(ctx, key), word(ctx, value), word(ctx, sep)];
    node.pairs = [keyValue(ctx, key, value, false, { value: '', start: key.start, end })];
    return;
  }
  for (const w of words) {
    const eq = w.value.indexOf('=');
    if (eq < 0) {
      problem(ctx, w.start, w.end, `Syntax error - can't find = in ${JSON.stringify(w.value)}. Must be of the form: name=value`, 'missing-equals');
      continue;
    }
    // parseWords keeps every character it reads, so value offsets are source offsets.
    const eqAt = w.start + eq;
    const key = { value: w.value.slice(0, eq), start: w.start, end: eqAt };
    const value = { value: w.value.slice(eq + 1), start: eqAt + 1, end: w.end };
    const sep = { value: '=', start: eqAt, end: eqAt + 1 };
    node.args.push(word(ctx, key), word(ctx, value), word(ctx, sep));
    node.pairs.push(keyValue(ctx, key, value, true, w));
  }
}

function parseArgWords(ctx: Context, node: InstructionNode, start: number, end: number): void {
  const words = parseWords(ctx.text, start, end, ctx.escape);
  node.args = words.map((w) => word(ctx, w));
  for (const w of words) {
    const eq = w.value.indexOf('=');
    if (eq < 0) {
      node.pairs.push(keyValue(ctx, w, undefined, false, w));
    } else {
      const key = { value: w.value.slice(0, eq), start: w.start, end: w.start + eq };
      const value = { value: w.value.slice(eq + 1), start: w.start + eq + 1, end: w.end };
      node.pairs.push(keyValue(ctx, key, value, true, w));
    }
  }
}

function parseHealthcheck(ctx: Context, node: InstructionNode, start: number, end: number): void {
  const text = ctx.text;
  let sep = start;
  while (sep < end && !isGoSpace(text.charCodeAt(sep))) sep++;
  if (sep === start) return;
  let next = sep;
  while (next < end && isGoSpace(text.charCodeAt(next))) next++;
  const type = word(ctx, { value: text.slice(start, sep), start, end: sep });
  parseMaybeJson(ctx, node, 'json-or-string', next, end);
  node.args.unshift(type);
}

function describeFrom(node: InstructionNode): void {
  const [image, as, name] = node.args;
  node.image = image;
  if (node.args.length === 3 && as.value.toLowerCase() === 'as') {
    node.asKeyword = as;
    node.stageName = name;
  }
}
