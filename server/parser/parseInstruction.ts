// One logical line -> InstructionNode: keyword, flags, and the arguments cut the way BuildKit's
// per-instruction line parsers cut them (JSON or shell form, words, key/value pairs, ONBUILD).
import { parseFlagOptions } from './flagOptions';
import { Flag, FlagOption, Instruction, InstructionParts, KeyValue, Word, setPartsBuilder } from './lazyNodes';
import { parseHeredocMarker } from './heredocMarkers';
import { parseJsonArray } from './jsonArray';
import { splitCommand } from './splitCommand';
import type { RawFlag, SplitCommand } from './splitCommand';
import { isAsciiBlank, isGoSpace } from './shell/goSpace';
import { TextMap } from './textSegments';
import type { MapOrigin } from './textSegments';
import type { FlagNode, InstructionNode, SyntaxProblem, WordNode } from './types';
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

const knownUpper = new Set(Object.keys(argumentStyles).map((k) => k.toUpperCase()));

/** Whether BuildKit knows the instruction (upper-case name). */
export function isKnownInstructionName(upperName: string): boolean {
  return knownUpper.has(upperName);
}

/** Keyword spellings seen so far -> [as written, lower, upper]: keywords repeat, so one copy of each. */
const keywordCase = new Map<string, [string, string, string]>();

function casesOf(keyword: string): [string, string, string] {
  let cases = keywordCase.get(keyword);
  if (!cases) {
    cases = [keyword, keyword.toLowerCase(), keyword.toUpperCase()];
    if (keywordCase.size < 4096) keywordCase.set(keyword, cases);
  }
  return cases;
}

/** One copy of each flag name. */
const flagNames = new Map<string, string>();

function internFlagName(name: string): string {
  const known = flagNames.get(name);
  if (known !== undefined) return known;
  if (flagNames.size < 4096) flagNames.set(name, name);
  return name;
}

interface Context {
  depth: number;
  text: string;
  map: TextMap;
  escape: number;
  problems: SyntaxProblem[];
  /**
   * The first parse, whose parts only feed the checks and are then dropped: parts no check reads
   * (mount options, RUN/CMD/ENTRYPOINT words) are left for the rebuild on first read.
   */
  checking: boolean;
}

/** The first parse's context, parts and split at top level, reused from one instruction to the next. */
const noProblems: SyntaxProblem[] = [];
const topContext: Context = { depth: 0, text: '', map: new TextMap(0, 0, ''), escape: 0x5c, problems: noProblems, checking: true };
const topParts = new InstructionParts();
const topSplit: SplitCommand = { keywordStart: 0, keywordEnd: 0, flags: [], argsStart: 0, argsEnd: 0 };

/** Parses `text.slice(start, end)` as one instruction (its logical text starts at `origin`). */
export function parseInstruction(text: string, origin: MapOrigin, start: number, end: number, escape: number, problems: SyntaxProblem[]): Instruction {
  const ctx = topContext;
  ctx.text = text;
  ctx.escape = escape;
  ctx.problems = problems;
  try {
    return parseAt(ctx, origin, start, end);
  } finally {
    ctx.text = '';
    ctx.problems = noProblems;
  }
}

function parseAt(ctx: Context, origin: MapOrigin, start: number, end: number): Instruction {
  const top = ctx === topContext;
  const split = splitCommand(ctx.text, start, end, top ? topSplit : undefined);
  const [, lower, name] = keywordCases(ctx.text, split.keywordStart, split.keywordEnd);
  const whole = ctx.depth === 0 && split.keywordStart === 0 && end === ctx.text.length;
  const node = new Instruction(origin, name, ctx.text, ctx.escape, whole ? undefined : { start: split.keywordStart, end, depth: ctx.depth });
  node.startParts(top ? topParts : undefined);
  ctx.map = node; // the instruction maps its own text from here on
  fillParts(ctx, node, split, lower);
  return node;
}

/** Known keywords by length, upper-case (matched in place, without cutting the keyword out). */
const knownByLength: string[][] = [];
for (const upper of knownUpper) (knownByLength[upper.length] ??= []).push(upper);

/** The cases of the keyword `text.slice(start, end)`. */
function keywordCases(text: string, start: number, end: number): [string, string, string] {
  const candidates = knownByLength[end - start];
  if (candidates) {
    for (let i = 0; i < candidates.length; i++) if (text.startsWith(candidates[i], start)) return casesOf(candidates[i]);
  }
  return casesOf(text.slice(start, end));
}

/** Flags and arguments of `node` from its split text. */
function fillParts(ctx: Context, node: Instruction, split: SplitCommand, lowerName: string): void {
  if (split.flags.length > 0) node.flags = split.flags.map((f) => toFlagNode(ctx, f));
  const style = argumentStyles[lowerName] ?? 'ignore';
  parseArguments(ctx, node, style, split.argsStart, split.argsEnd);
}

// Parts dropped after parsing are built again from the instruction's own text, the same way.
setPartsBuilder((node) => {
  const ctx: Context = { depth: node.depth, text: node.text, map: node, escape: node.escape, problems: [], checking: false };
  const split = splitCommand(node.text, node.spanStart, node.spanEnd);
  fillParts(ctx, node, split, keywordCases(node.text, split.keywordStart, split.keywordEnd)[1]);
});

function word(ctx: Context, raw: RawWord): WordNode {
  return new Word(raw.value, raw.start, raw.end, ctx.map);
}

function toFlagNode(ctx: Context, flag: RawFlag): FlagNode {
  const body = flag.word.startsWith('--') ? 2 : 0;
  const eq = flag.word.indexOf('=');
  const at = (i: number) => (flag.map ? flag.map[i] : flag.start + i) ?? flag.end;
  const node = new Flag(
    internFlagName(flag.word.slice(body, eq < 0 ? undefined : eq)),
    eq < 0 ? undefined : flag.word.slice(eq + 1),
    flag.start, flag.end, at(body), eq < 0 ? flag.end : at(eq), eq < 0 ? flag.end : at(eq + 1),
    ctx.map,
  );
  if (eq >= 0 && !ctx.checking && node.name === 'mount') {
    node.options = parseFlagOptions(flag, eq + 1).map((o) => new FlagOption(o.key, o.value, o.start, o.end, o.keyEnd, o.valueStart ?? -1, ctx.map));
  }
  return node;
}

function problem(ctx: Context, start: number, end: number, message: string, code: string): void {
  ctx.problems.push({ range: ctx.map.rangeOf(start, end), message, code, severity: 'error' });
}

function parseArguments(ctx: Context, node: InstructionNode, style: ArgumentStyle, start: number, end: number): void {
  const text = ctx.text;
  switch (style) {
    case 'ignore':
      return;
    case 'string':
      // The checks count these arguments only.
      if (end > start) node.args = ctx.checking ? someArguments : [word(ctx, { value: text.slice(start, end), start, end })];
      return;
    case 'blank-list':
      if (ctx.checking && node.name === 'EXPOSE') {
        if (end > start) node.args = someArguments;
        return;
      }
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
      // BuildKit refuses ONBUILD ONBUILD anyway; parsing one level of nesting is enough.
      if (end > start) node.onbuild = ctx.depth < 2 ? parseAt({ depth: ctx.depth + 1, text: ctx.text, map: ctx.map, escape: ctx.escape, problems: ctx.problems, checking: ctx.checking }, ctx.map, start, end) : undefined;
      return;
  }
}

function parseMaybeJson(ctx: Context, node: InstructionNode, style: ArgumentStyle, start: number, end: number): void {
  if (end <= start) return;
  // RUN, CMD and ENTRYPOINT checks read only the form: their words wait for the rebuild.
  const wordsUnread = ctx.checking && style === 'json-or-string' && node.name !== 'SHELL' && node.name !== 'HEALTHCHECK';
  const json = parseJsonArray(ctx.text, start, end, !wordsUnread);
  if (json.kind === 'strings') {
    node.form = 'exec';
    if (!wordsUnread) node.args = placeholderFor(ctx, node, json.items) ?? json.items.map((w) => word(ctx, w));
    return;
  }
  if (json.kind === 'not-strings') {
    problem(ctx, start, end, 'when using JSON array syntax, arrays must be comprised of strings only', 'json-not-string-array');
  }
  if (wordsUnread) return;
  if (style === 'json-or-list' && ctx.checking && (node.name === 'COPY' || node.name === 'ADD')) {
    // What placeholderFor decides, without cutting every word: two words or more (the text is
    // trimmed, so any blank separates two), and a last word that is no heredoc marker.
    let b = end - 1;
    while (b > start && !isAsciiBlank(ctx.text.charCodeAt(b))) b--;
    if (b > start && !isHeredocMarker(ctx.text.slice(b + 1, end))) {
      node.args = sourcesAndDest;
      return;
    }
  }
  if (style === 'json-or-list') {
    const raw = splitOnBlanks(ctx.text, start, end);
    node.args = placeholderFor(ctx, node, raw) ?? raw.map((w) => word(ctx, w));
  } else {
    node.args = [word(ctx, { value: ctx.text.slice(start, end), start, end })];
  }
}

/**
 * Stands for the arguments of an ADD or COPY in the first parse when the checks can find nothing
 * wrong (a source, and a destination that is not a heredoc): they read only the count and the
 * destination's value.
 */
const sourcesAndDest: WordNode[] = Object.freeze([new Word('', 0, 0, new TextMap(0, 0, '')), new Word('', 0, 0, new TextMap(0, 0, ''))]) as unknown as WordNode[];

function placeholderFor(ctx: Context, node: InstructionNode, raw: readonly RawWord[]): WordNode[] | undefined {
  if (!ctx.checking || (node.name !== 'COPY' && node.name !== 'ADD') || raw.length < 2) return undefined;
  return isHeredocMarker(raw[raw.length - 1].value) ? undefined : sourcesAndDest;
}

function isHeredocMarker(word: string): boolean {
  return word.includes('<<') && parseHeredocMarker(word).marker !== undefined;
}

/**
 * Stands for the arguments of an ENV, LABEL or ARG in the first parse when every name is present:
 * the checks then only ask whether there are arguments, and the words wait for the rebuild.
 */
const someArguments: WordNode[] = Object.freeze([new Word('', 0, 0, new TextMap(0, 0, ''))]) as unknown as WordNode[];

/** Whether the checks can find nothing wrong with these name/value words (see someArguments). */
function namesAllPresent(words: readonly RawWord[], isArg: boolean): boolean {
  for (let i = 0; i < words.length; i++) {
    const eq = words[i].value.indexOf('=');
    if (!(eq > 0 || (isArg && eq < 0 && words[i].value !== ''))) return false;
  }
  return true;
}

function parseNameValue(ctx: Context, node: InstructionNode, keyword: string, start: number, end: number): void {
  const text = ctx.text;
  const words = parseWords(text, start, end, ctx.escape);
  if (words.length === 0) return;
  if (ctx.checking && namesAllPresent(words, false)) {
    node.args = someArguments;
    return;
  }
  if (!words[0].value.includes('=')) {
    // Legacy `KEY value`: the first run of blanks separates key from the rest, kept verbatim.
    const parts = splitOnBlanks(text, start, end);
    node.legacyKeyValue = true;
    const key = word(ctx, parts[0]);
    const value = parts.length < 2
      ? word(ctx, { value: '', start: key.end, end: key.end })
      : word(ctx, { value: text.slice(parts[1].start, end), start: parts[1].start, end });
    if (parts.length < 2) problem(ctx, start, end, `${keyword} must have two arguments`, 'missing-value');
    node.args = [key, value, word(ctx, { value: '', start: value.start, end: value.start })];
    node.pairs = [new KeyValue(key, value, false)];
    return;
  }
  const args: WordNode[] = new Array<WordNode>(words.length * 3);
  const pairs: KeyValue[] = new Array<KeyValue>(words.length);
  let count = 0;
  for (const w of words) {
    const eq = w.value.indexOf('=');
    if (eq < 0) {
      problem(ctx, w.start, w.end, `Syntax error - can't find = in ${JSON.stringify(w.value)}. Must be of the form: name=value`, 'missing-equals');
      continue;
    }
    // parseWords keeps every character it reads, so value offsets are source offsets.
    const eqAt = w.start + eq;
    const key = word(ctx, { value: w.value.slice(0, eq), start: w.start, end: eqAt });
    const value = word(ctx, { value: w.value.slice(eq + 1), start: eqAt + 1, end: w.end });
    args[count * 3] = key;
    args[count * 3 + 1] = value;
    args[count * 3 + 2] = word(ctx, { value: '=', start: eqAt, end: eqAt + 1 });
    pairs[count++] = new KeyValue(key, value, true);
  }
  // Exactly sized: a 30,000-line file holds many of these.
  node.args = count === words.length ? args : args.slice(0, count * 3);
  node.pairs = count === words.length ? pairs : pairs.slice(0, count);
}

function parseArgWords(ctx: Context, node: InstructionNode, start: number, end: number): void {
  const words = parseWords(ctx.text, start, end, ctx.escape);
  if (ctx.checking && words.length > 0 && namesAllPresent(words, true)) {
    node.args = someArguments;
    return;
  }
  node.args = words.map((w) => word(ctx, w));
  node.pairs = words.map((w, i) => {
    const eq = w.value.indexOf('=');
    if (eq < 0) return new KeyValue(node.args[i], undefined, false);
    const key = word(ctx, { value: w.value.slice(0, eq), start: w.start, end: w.start + eq });
    const value = word(ctx, { value: w.value.slice(eq + 1), start: w.start + eq + 1, end: w.end });
    return new KeyValue(key, value, true);
  });
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
  node.args = [type, ...node.args];
}

function describeFrom(node: InstructionNode): void {
  const [image, as, name] = node.args;
  node.image = image;
  if (node.args.length === 3 && as.value.toLowerCase() === 'as') {
    node.asKeyword = as;
    node.stageName = name;
  }
}
