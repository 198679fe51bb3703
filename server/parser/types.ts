// The syntax tree of a Dockerfile: what BuildKit's parser sees, with exact source ranges.
// Every range is 0-based, in UTF-16 code units (LSP-compatible), in the ORIGINAL text.

/** A place in the original text (0-based line, UTF-16 character). */
export interface Position {
  line: number;
  character: number;
}

/** A span of the original text; `end` is exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

/**
 * Something BuildKit would refuse (`error`) or warn about (`warning`), located in the text.
 * `code` is stable: BuildKit check names where one exists (e.g. `NoEmptyContinuation`),
 * otherwise a kebab-case code of ours (e.g. `unterminated-heredoc`).
 */
export interface SyntaxProblem {
  range: Range;
  message: string;
  code: string;
  severity: Severity;
}

/** A parser directive at the top of the file: `# syntax=...`, `# escape=...`, `# check=...`. */
export interface DirectiveNode {
  /** Lower-case name: `syntax`, `escape` or `check`. */
  name: string;
  value: string;
  /** The whole comment line. */
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

/** A `#` comment line (directives excluded). `text` is what follows `#`, trimmed. */
export interface CommentNode {
  text: string;
  range: Range;
}

/**
 * A piece of an instruction: one of BuildKit's argument nodes, a flag value, a key or value.
 * `value` is the text as BuildKit's parser hands it on (continuations removed, quotes kept for
 * shell-form words, JSON strings decoded for exec form). `start`/`end` are offsets into the
 * owning instruction's `text`; `range` is in the original document.
 */
export interface WordNode {
  value: string;
  range: Range;
  start: number;
  end: number;
}

/** The instruction keyword as written (`text`) and upper-cased (`name`). */
export interface KeywordNode {
  text: string;
  name: string;
  range: Range;
}

/** One `key=value` field of a comma-separated flag value (`--mount=type=cache,target=/x`). */
export interface FlagOptionNode {
  key: string;
  /** Undefined when the field has no `=` (e.g. `readonly`). */
  value: string | undefined;
  range: Range;
  keyRange: Range;
  valueRange?: Range;
}

/** A `--name[=value]` flag before an instruction's arguments. */
export interface FlagNode {
  /** Name without the leading `--`, as written (BuildKit matches it case-sensitively). */
  name: string;
  /** Raw value after `=`, undefined for a bare boolean flag such as `--link`. */
  value: string | undefined;
  /** The whole flag as written, e.g. `--mount=type=cache,target=/root/.cache`. */
  text: string;
  range: Range;
  nameRange: Range;
  valueRange?: Range;
  /** For `--mount` (and other comma-separated values): the fields with their ranges. */
  options?: FlagOptionNode[];
}

/** A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`). */
export interface HeredocNode {
  /** The delimiter with quotes removed. */
  name: string;
  /** File descriptor prefix (`3<<EOF`), 0 when absent. */
  fileDescriptor: number;
  /** `<<-`: leading tabs are stripped from body lines and the terminator. */
  chomp: boolean;
  /** False when any part of the delimiter was quoted: the body is not variable-expanded. */
  expand: boolean;
  /** The body as BuildKit stores it: each line with its own line ending, tabs kept. */
  content: string;
  /** The `<<EOF` marker word on the instruction line. */
  range: Range;
  /** The body lines (an empty range at the body's start when the body is empty). */
  bodyRange: Range;
  /** The terminator line; undefined when the heredoc is unterminated. */
  terminatorRange?: Range;
}

/** One `key=value` (or legacy `key value`) of ENV, LABEL or ARG. */
export interface KeyValueNode {
  key: WordNode;
  /** Undefined for an ARG without default. For ENV/LABEL always present (maybe empty). */
  value?: WordNode;
  range: Range;
  /** False for the legacy `ENV key value` form. */
  hasEquals: boolean;
}

/**
 * One instruction, possibly spanning several lines (continuations, heredoc bodies).
 * `args` mirrors BuildKit's node list exactly (what `layerlens parse --format buildkit` prints);
 * the typed fields (`pairs`, `stageName`, `onbuild`, ...) are conveniences over it.
 */
export interface InstructionNode {
  /** Upper-case instruction name (`RUN`), same as `keyword.name`. */
  name: string;
  keyword: KeywordNode;
  /** The whole instruction: continuation lines and heredoc bodies included. */
  range: Range;
  /** The logical line as BuildKit sees it: continuations joined, comment lines dropped. */
  text: string;
  flags: FlagNode[];
  /** BuildKit's argument nodes after the flags, in order. */
  args: WordNode[];
  /** `exec` when the arguments were a JSON array, `shell` otherwise. */
  form: 'exec' | 'shell';
  heredocs: HeredocNode[];
  /** ENV, LABEL, ARG: the pairs. Empty for other instructions. */
  pairs: KeyValueNode[];
  /** ENV/LABEL written as `KEY value` (BuildKit's LegacyKeyValueFormat). */
  legacyKeyValue?: boolean;
  /** FROM: the image word (`args[0]`), the `AS` keyword and the stage name. */
  image?: WordNode;
  asKeyword?: WordNode;
  stageName?: WordNode;
  /** ONBUILD: the nested instruction. */
  onbuild?: InstructionNode;
  /** Zero-based lines of empty continuation lines inside this instruction. */
  emptyContinuationLines: number[];
  /** Comment lines directly above the instruction (BuildKit's PrevComment). */
  precedingComments: string[];
  /** Maps offsets of `text` to original positions (see positionAtOffset). */
  segments: TextSegment[];
  /** `range.start.line`, `range.start.character`, `range.end.line`, `range.end.character` as plain numbers (cheaper to read). */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** `text.slice(offset, offset + length)` starts at `line`:`character` of the original text. */
export interface TextSegment {
  offset: number;
  length: number;
  line: number;
  character: number;
}

/** The whole file. */
export interface DockerfileSyntax {
  directives: DirectiveNode[];
  /** The active escape character (`\` unless `# escape=`` ` ``). */
  escapeChar: '\\' | '`';
  instructions: InstructionNode[];
  comments: CommentNode[];
  problems: SyntaxProblem[];
  /** Number of lines in the text (a final line without newline counts). */
  lineCount: number;
}
