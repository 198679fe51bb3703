// Where each stage name and ARG/ENV variable of a Dockerfile is defined and used, with BuildKit's
// scoping: global ARGs (visible in FROM lines, and in a stage only when re-declared there), ARGs per
// stage, ENV per stage and inherited by stages built `FROM` it, ENV winning over ARG. Computed once
// per model version and shared by definition, references, highlight, rename and semantic tokens.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentModel, DocumentModels } from '../documentModels';
import { lineAt, lineStartOffsets, rangeOfOffsets, type FlagNode, type HeredocNode, type InstructionNode, type Position, type Range, type WordNode } from '../parser';
import { scanShellText, type ScanDialect, type VariableMention } from './format/shellScan';

export type SymbolKind = 'stage' | 'arg' | 'env';

export interface DockerfileSymbol {
  id: number;
  kind: SymbolKind;
  /** Stage names lower-cased; variable names as written. Unnamed stages: ''. */
  name: string;
  /** Declaring scope: a stage index, or -1 for global ARGs. For stages: the stage's own index. */
  scope: number;
  /** Where go-to-definition lands when there is no named definition (an unnamed stage: its FROM keyword). */
  anchor: Range;
  /** Definitions and references, in document order. */
  occurrences: Occurrence[];
  /** Scopes in which the name denotes this symbol (stage indexes; -1 for FROM lines). */
  visibleIn: Set<number>;
}

export interface Occurrence {
  kind: 'stage' | 'variable';
  /** As written (variables) or lower-cased (stages). */
  name: string;
  /** The name itself: what a rename replaces. */
  range: Range;
  /**
   * Characters of the whole mention before and after the name on the same line: 1 and 0 for
   * `$NAME`, 2 and 1 for `${NAME}`, 2 and 0 for `${NAME:-x}` (whose tail is a word of its own).
   */
  lead: number;
  trail: number;
  role: 'definition' | 'reference';
  /** The symbol denoted; undefined for a variable this Dockerfile does not declare (image env, shell variables). */
  symbol?: DockerfileSymbol;
  /** The definition in effect at this reference. */
  binding?: Occurrence;
  instructionIndex: number;
  /** Stage index; -1 before the first FROM and in FROM lines' image and flags. */
  scope: number;
  /** A stage referenced by index (`--from=0`): listed, never renamed. */
  byIndex?: boolean;
  /** Set when the text may or may not be expanded, so renaming it is unsafe; says why. */
  uncertain?: string;
}

/** A stage named through a variable (`FROM ${BASE}`, `COPY --from=$STAGE`): which stage it is depends on values. */
export interface DynamicStageReference {
  range: Range;
  instructionIndex: number;
  text: string;
}

export interface DocumentOccurrences {
  symbols: DockerfileSymbol[];
  /** One symbol per stage, by stage index. */
  stages: DockerfileSymbol[];
  /** Every occurrence in document order. */
  occurrences: Occurrence[];
  /** Every variable occurrence by name, declared or not. */
  variablesByName: Map<string, Occurrence[]>;
  /** Literal image names (lower-cased) used by FROM, `--from` and `from=` that are not stages. */
  imageNames: Map<string, Range>;
  dynamicStageReferences: DynamicStageReference[];
  /** The occurrence whose range contains (or ends at) `position`. */
  at(position: Position): Occurrence | undefined;
}

/** Reads one line of a document, without its line break. */
export type LineReader = (line: number) => string;

/** The model of an open document and its occurrences. */
export function documentOccurrences(models: DocumentModels, document: TextDocument): { model: DocumentModel; occurrences: DocumentOccurrences } {
  const model = models.get(document);
  return { model, occurrences: occurrencesOf(model) };
}

/** Reads lines of a document without their line break. */
export function lineReaderOf(document: TextDocument): LineReader {
  // The document's own lines: a lone CR ends one too (as in the editor).
  return (line) => document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/(?:\r\n|\r|\n)$/, '');
}

const cache = new WeakMap<DocumentModel, DocumentOccurrences>();

/** The occurrences of `model` (computed once per model, i.e. once per document version). */
export function occurrencesOf(model: DocumentModel): DocumentOccurrences {
  let found = cache.get(model);
  if (!found) {
    found = collectOccurrences(model);
    cache.set(model, found);
  }
  return found;
}

/** Shells whose `-c` script sees the environment: exec-form commands starting with one expand `$NAME`. */
const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

interface Binding {
  symbol: DockerfileSymbol;
  definition: Occurrence;
}

type Lookup = 'build' | 'runtime' | 'global';

class Collector {
  readonly symbols: DockerfileSymbol[] = [];
  readonly stages: DockerfileSymbol[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly variablesByName = new Map<string, Occurrence[]>();
  readonly imageNames = new Map<string, Range>();
  readonly dynamicStageReferences: DynamicStageReference[] = [];
  private readonly stagesByName = new Map<string, DockerfileSymbol>();
  private readonly globals = new Map<string, Binding>();
  private args = new Map<string, Binding>();
  private env = new Map<string, Binding>();
  private readonly finalEnv: Map<string, Binding>[] = [];
  private scope = -1;
  private instructionIndex = 0;
  private pending: Occurrence[] = [];

  constructor(private readonly model: DocumentModel) {}

  run(): void {
    const instructions = this.model.syntax.instructions;
    this.declareStages(instructions);
    let stageIndex = -1;
    for (let i = 0; i < instructions.length; i++) {
      const instruction = instructions[i];
      this.instructionIndex = i;
      this.pending = [];
      if (instruction.name === 'FROM') {
        if (stageIndex >= 0) this.finalEnv[stageIndex] = this.env;
        stageIndex++;
        this.visitFrom(instruction, stageIndex);
      } else {
        this.visitInstruction(instruction);
      }
      this.flush();
    }
  }

  private declareStages(instructions: InstructionNode[]): void {
    let index = 0;
    for (let i = 0; i < instructions.length; i++) {
      const from = instructions[i];
      if (from.name !== 'FROM') continue;
      const stageName = from.stageName;
      const symbol = this.newSymbol('stage', stageName ? stageName.value.toLowerCase() : '', index, stageName?.range ?? from.keyword.range);
      symbol.visibleIn.add(index);
      if (stageName) {
        const definition: Occurrence = {
          kind: 'stage', name: symbol.name, range: stageName.range, lead: 0, trail: 0, role: 'definition',
          symbol, instructionIndex: i, scope: index,
        };
        symbol.occurrences.push(definition);
        if (!this.stagesByName.has(symbol.name)) this.stagesByName.set(symbol.name, symbol);
      }
      this.stages.push(symbol);
      index++;
    }
  }

  private visitFrom(from: InstructionNode, stageIndex: number): void {
    this.scope = -1;
    for (const flag of from.flags) this.scanFlag(from, flag, 'global');
    let inherited = new Map<string, Binding>();
    const image = from.image;
    if (image) {
      const raw = rawText(from, image);
      if (raw.includes('$')) {
        this.scanWord(from, image, 'buildkit', 'global');
        this.dynamicStageReferences.push({ range: image.range, instructionIndex: this.instructionIndex, text: raw });
      } else {
        const base = this.stagesByName.get(image.value.toLowerCase());
        if (base && base.scope < stageIndex) {
          this.addStageReference(base, image.range, false);
          inherited = new Map(this.finalEnv[base.scope] ?? []);
        } else if (image.value.toLowerCase() !== 'scratch') {
          this.imageNames.set(image.value.toLowerCase(), image.range);
        }
      }
    }
    const stage = this.stages[stageIndex];
    if (stage && stage.occurrences[0]?.role === 'definition') this.pending.push(stage.occurrences[0]);
    this.scope = stageIndex;
    this.args = new Map();
    this.env = inherited;
    for (const binding of inherited.values()) binding.symbol.visibleIn.add(stageIndex);
  }

  private visitInstruction(instruction: InstructionNode): void {
    const global = this.scope < 0;
    const build: Lookup = global ? 'global' : 'build';
    switch (instruction.name) {
      case 'ARG':
        for (const pair of instruction.pairs) {
          if (pair.value) this.scanWord(instruction, pair.value, 'buildkit', build);
          this.defineArg(pair.key, pair.value !== undefined);
        }
        break;
      case 'ENV': {
        for (const pair of instruction.pairs) if (pair.value) this.scanWord(instruction, pair.value, 'buildkit', build);
        for (const pair of instruction.pairs) this.defineEnv(pair.key);
        break;
      }
      case 'LABEL':
        for (const pair of instruction.pairs) {
          this.scanWord(instruction, pair.key, 'buildkit', build);
          if (pair.value) this.scanWord(instruction, pair.value, 'buildkit', build);
        }
        break;
      case 'RUN':
        for (const flag of instruction.flags) this.scanFlag(instruction, flag, build);
        this.scanCommand(instruction, instruction.args, build);
        this.scanHeredocs(instruction, 'shell', build);
        break;
      case 'CMD':
      case 'ENTRYPOINT':
        this.scanCommand(instruction, instruction.args, 'runtime');
        break;
      case 'HEALTHCHECK':
        if (instruction.args[0]?.value.toUpperCase() === 'CMD') this.scanCommand(instruction, instruction.args.slice(1), 'runtime');
        break;
      case 'COPY':
      case 'ADD':
        for (const flag of instruction.flags) this.scanFlag(instruction, flag, build);
        for (const word of instruction.args) this.scanWord(instruction, word, instruction.form === 'exec' ? 'json' : 'buildkit', build);
        this.scanHeredocs(instruction, 'plain', build);
        break;
      case 'WORKDIR':
      case 'USER':
      case 'EXPOSE':
      case 'VOLUME':
      case 'STOPSIGNAL':
        for (const word of instruction.args) this.scanWord(instruction, word, instruction.form === 'exec' ? 'json' : 'buildkit', build);
        break;
      case 'ONBUILD':
        // Expanded in a later build, against that build's variables: listed, never renamed.
        if (instruction.onbuild) {
          const uncertain = `line ${instruction.range.start.line + 1} is an ONBUILD trigger, expanded in another build`;
          for (const word of instruction.onbuild.args) this.scanWord(instruction, word, instruction.onbuild.form === 'exec' ? 'json' : 'buildkit', build, uncertain);
        }
        break;
      default:
        // SHELL, MAINTAINER and unknown instructions mention nothing.
        break;
    }
  }

  private defineArg(key: WordNode, hasDefault: boolean): void {
    const name = key.value;
    if (this.scope < 0) {
      const existing = this.globals.get(name);
      const symbol = existing?.symbol ?? this.newSymbol('arg', name, -1, key.range);
      symbol.visibleIn.add(-1);
      this.globals.set(name, { symbol, definition: this.addDefinition(symbol, key) });
      return;
    }
    const existing = this.args.get(name);
    const global = !hasDefault ? this.globals.get(name) : undefined;
    const symbol = existing?.symbol ?? global?.symbol ?? this.newSymbol('arg', name, this.scope, key.range);
    symbol.visibleIn.add(this.scope);
    this.args.set(name, { symbol, definition: this.addDefinition(symbol, key) });
  }

  private defineEnv(key: WordNode): void {
    const name = key.value;
    const existing = this.scope < 0 ? undefined : this.env.get(name);
    const symbol = existing?.symbol ?? this.newSymbol('env', name, this.scope, key.range);
    symbol.visibleIn.add(this.scope);
    const binding = { symbol, definition: this.addDefinition(symbol, key) };
    // Each stage owns its map (a stage built FROM another starts from a copy).
    if (this.scope >= 0) this.env.set(name, binding);
  }

  private addDefinition(symbol: DockerfileSymbol, key: WordNode): Occurrence {
    const occurrence: Occurrence = {
      kind: 'variable', name: key.value, range: key.range, lead: 0, trail: 0, role: 'definition',
      symbol, instructionIndex: this.instructionIndex, scope: this.scope,
    };
    this.record(occurrence);
    return occurrence;
  }

  private addStageReference(stage: DockerfileSymbol, range: Range, byIndex: boolean): void {
    const occurrence: Occurrence = {
      kind: 'stage', name: stage.name, range, lead: 0, trail: 0, role: 'reference', symbol: stage,
      binding: stage.occurrences.find((o) => o.role === 'definition'), instructionIndex: this.instructionIndex, scope: this.scope,
    };
    if (byIndex) occurrence.byIndex = true;
    stage.occurrences.push(occurrence);
    this.pending.push(occurrence);
  }

  /** A `--from=` / `from=` value (never expanded): a stage by name or index, or an image. */
  private stageValue(value: string | undefined, range: Range | undefined): void {
    if (value === undefined || range === undefined) return;
    const lower = value.toLowerCase();
    const named = this.stagesByName.get(lower);
    if (named) {
      this.addStageReference(named, range, false);
    } else if (/^\d+$/.test(value) && Number(value) < this.stages.length) {
      this.addStageReference(this.stages[Number(value)], range, true);
    } else if (lower !== '' && lower !== 'scratch') {
      this.imageNames.set(lower, range);
    }
  }

  private scanFlag(instruction: InstructionNode, flag: FlagNode, lookup: Lookup): void {
    if (flag.value === undefined) return;
    const name = flag.name.toLowerCase();
    if (name === 'from') {
      this.stageValue(flag.value, flag.valueRange);
      return;
    }
    if (name === 'mount' && flag.options) {
      const from = flag.options.find((o) => o.key.toLowerCase() === 'from');
      if (from) this.stageValue(from.value, from.valueRange);
    }
    if (!flag.value.includes('$')) return;
    const offset = flagValueOffset(instruction, flag);
    const { mentions } = scanShellText(flag.value, 'buildkit', this.model.syntax.escapeChar);
    for (const mention of mentions) {
      if (mention.singleQuoted) continue;
      const toRange = (from: number, to: number): Range | undefined =>
        offset !== undefined ? rangeInText(instruction, offset + from, offset + to) : rangeInLine(flag.valueRange, from, to);
      this.addMention(mention, toRange, lookup, undefined);
    }
  }

  /** Shell-form commands (one word) run by the shell; exec-form ones only when they start a shell. */
  private scanCommand(instruction: InstructionNode, words: WordNode[], lookup: Lookup): void {
    if (instruction.form === 'exec') {
      const program = words[0]?.value.split('/').pop() ?? '';
      const uncertain = shells.has(program) ? undefined : `line ${instruction.range.start.line + 1} is in exec form, which is not expanded unless it runs a shell`;
      for (const word of words) this.scanWord(instruction, word, 'json', lookup, uncertain);
      return;
    }
    for (const word of words) this.scanWord(instruction, word, 'shell', lookup);
  }

  private scanWord(instruction: InstructionNode, word: WordNode, dialect: ScanDialect, lookup: Lookup, uncertain?: string): void {
    const dollar = instruction.text.indexOf('$', word.start);
    if ((dollar < 0 || dollar >= word.end) && !word.value.includes('$')) return;
    const raw = rawText(instruction, word);
    const escape = dialect === 'shell' ? '\\' : this.model.syntax.escapeChar;
    const { mentions } = scanShellText(raw, dialect, escape);
    const base = word.start;
    const mapped = raw === instruction.text.slice(word.start, word.end);
    for (const mention of mentions) {
      if (mention.singleQuoted) continue;
      const toRange = (from: number, to: number): Range | undefined =>
        mapped ? rangeInText(instruction, base + from, base + to) : rangeInLine(word.range, from, to);
      this.addMention(mention, toRange, lookup, uncertain);
    }
  }

  private scanHeredocs(instruction: InstructionNode, dialect: ScanDialect, lookup: Lookup): void {
    for (const heredoc of instruction.heredocs) {
      if (!heredoc.content.includes('$')) continue;
      const { mentions } = scanShellText(heredoc.content, heredoc.expand ? dialect : 'plain', this.model.syntax.escapeChar);
      const lines = lineStartOffsets(heredoc.content);
      for (const mention of mentions) {
        let uncertain: string | undefined;
        if (!heredoc.expand) {
          uncertain = `line ${heredoc.bodyRange.start.line + lineAt(lines, mention.start) + 1} is inside the quoted heredoc <<'${heredoc.name}', which BuildKit does not expand`;
        } else if (mention.singleQuoted) {
          uncertain = `line ${heredoc.bodyRange.start.line + lineAt(lines, mention.start) + 1} is single-quoted inside the heredoc <<${heredoc.name}`;
        }
        this.addMention(mention, (from, to) => this.rangeInHeredoc(heredoc, lines, from, to), lookup, uncertain);
      }
    }
  }

  /** The body is the document's lines verbatim (tabs of `<<-` kept), so offsets map line by line. */
  private rangeInHeredoc(heredoc: HeredocNode, lines: number[], from: number, to: number): Range {
    const line = lineAt(lines, from);
    const endLine = lineAt(lines, Math.max(from, to - 1));
    const first = heredoc.bodyRange.start;
    return {
      start: { line: first.line + line, character: from - lines[line] + (line === 0 ? first.character : 0) },
      end: { line: first.line + endLine, character: to - lines[endLine] + (endLine === 0 ? first.character : 0) },
    };
  }

  private addMention(mention: VariableMention, toRange: (from: number, to: number) => Range | undefined, lookup: Lookup, uncertain: string | undefined): void {
    const range = toRange(mention.nameStart, mention.nameEnd);
    if (!range) return;
    const simple = mention.braced && mention.end === mention.nameEnd + 1;
    const lead = mention.nameStart - mention.start;
    const oneLine = range.start.line === range.end.line && range.start.character >= lead;
    const binding = this.resolve(mention.name, lookup);
    const occurrence: Occurrence = {
      kind: 'variable', name: mention.name, range, lead: oneLine ? lead : 0, trail: oneLine && simple ? 1 : 0, role: 'reference',
      instructionIndex: this.instructionIndex, scope: lookup === 'global' ? -1 : this.scope,
    };
    if (binding) {
      occurrence.symbol = binding.symbol;
      occurrence.binding = binding.definition;
    }
    if (uncertain) occurrence.uncertain = uncertain;
    this.record(occurrence);
  }

  private resolve(name: string, lookup: Lookup): Binding | undefined {
    if (lookup === 'global') return this.globals.get(name);
    if (lookup === 'runtime') return this.env.get(name);
    return this.env.get(name) ?? this.args.get(name);
  }

  private record(occurrence: Occurrence): void {
    occurrence.symbol?.occurrences.push(occurrence);
    let list = this.variablesByName.get(occurrence.name);
    if (!list) this.variablesByName.set(occurrence.name, (list = []));
    list.push(occurrence);
    this.pending.push(occurrence);
  }

  private flush(): void {
    if (this.pending.length > 1) this.pending.sort((a, b) => comparePositions(a.range.start, b.range.start));
    for (const occurrence of this.pending) this.occurrences.push(occurrence);
  }

  private newSymbol(kind: SymbolKind, name: string, scope: number, anchor: Range): DockerfileSymbol {
    const symbol: DockerfileSymbol = { id: this.symbols.length, kind, name, scope, anchor, occurrences: [], visibleIn: new Set() };
    this.symbols.push(symbol);
    return symbol;
  }
}

function collectOccurrences(model: DocumentModel): DocumentOccurrences {
  const collector = new Collector(model);
  collector.run();
  for (const symbol of collector.symbols) {
    if (symbol.kind !== 'stage') symbol.occurrences.sort((a, b) => comparePositions(a.range.start, b.range.start));
  }
  for (const stage of collector.stages) stage.occurrences.sort((a, b) => comparePositions(a.range.start, b.range.start));
  const occurrences = collector.occurrences;
  return {
    symbols: collector.symbols,
    stages: collector.stages,
    occurrences,
    variablesByName: collector.variablesByName,
    imageNames: collector.imageNames,
    dynamicStageReferences: collector.dynamicStageReferences,
    at: (position) => occurrenceAt(occurrences, position),
  };
}

/** Binary search for the occurrence containing `position` (its end included, so a cursor just after a name counts). */
function occurrenceAt(occurrences: Occurrence[], position: Position): Occurrence | undefined {
  let low = 0;
  let high = occurrences.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (comparePositions(occurrences[mid].range.start, position) <= 0) {
      candidate = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  // Adjacent occurrences (`$A$B`): prefer the one starting at the position, else the one ending there.
  for (let i = candidate; i >= 0 && i >= candidate - 2; i--) {
    const range = occurrences[i].range;
    if (comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0) return occurrences[i];
  }
  return undefined;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** The instruction's logical text of `word` (quotes and escapes as written). */
function rawText(instruction: InstructionNode, word: WordNode): string {
  if (word.end > word.start && word.end <= instruction.text.length) return instruction.text.slice(word.start, word.end);
  return word.value;
}

/** The offset of a flag's value in the instruction's logical text, when it can be found. */
function flagValueOffset(instruction: InstructionNode, flag: FlagNode): number | undefined {
  if (flag.value === undefined) return undefined;
  const at = instruction.text.indexOf(flag.text);
  if (at < 0 || !flag.text.endsWith(flag.value)) return undefined;
  return at + flag.text.length - flag.value.length;
}

/** Maps `[from, to)` offsets of the instruction's logical text to the document. */
function rangeInText(instruction: InstructionNode, from: number, to: number): Range {
  return rangeOfOffsets(instruction.segments, from, to);
}

/** Fallback for nodes without text offsets: `[from, to)` of a single-line range. */
function rangeInLine(range: Range | undefined, from: number, to: number): Range | undefined {
  if (!range || range.start.line !== range.end.line) return undefined;
  const line = range.start.line;
  return { start: { line, character: range.start.character + from }, end: { line, character: range.start.character + to } };
}

/** A short human name for a stage symbol: `'builder'` or `stage 2`. */
export function describeStage(stage: DockerfileSymbol): string {
  return stage.name ? `'${stage.name}'` : `stage ${stage.scope}`;
}

/** Build args BuildKit sets by itself: they cannot be renamed, nor be a rename's target. */
export const predefinedArgs = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETSTAGE', 'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy',
  'ALL_PROXY', 'all_proxy', 'SOURCE_DATE_EPOCH', 'BUILDKIT_INLINE_CACHE', 'BUILDKIT_MULTI_PLATFORM', 'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR', 'BUILDKIT_SYNTAX', 'BUILDKIT_CACHE_MOUNT_NS',
]);
