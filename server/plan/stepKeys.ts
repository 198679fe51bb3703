// Cache keys worked out when first read. A keystroke in an ENV mid-file re-keys every later step it
// reaches (half of bench/lsp's 30,000-line file), but diagnostics and completion read no key: a key
// is hashed only once hover, a lens, measured sizes, the plan view or a build asks for it.
import { cacheKeyOf, mergedKey } from './cacheKey';
import { runKeyInputs } from './runKeyInputs';
import type { CacheKeyInputs } from './types';
import { sortedEntries } from './variableEntries';

type Variables = Readonly<Record<string, string>>;

/** A filesystem state's cache key. `token` stands for it in identity texts without working it out. */
export interface KeyRef {
  readonly value: string;
  /** Equal for equal known keys; otherwise one per key object (a re-keyed state gets a new one). */
  readonly token: string;
}

/** A key known as text (a base image's FROM, the empty state before it). */
export function knownKey(value: string): KeyRef {
  return { value, token: value };
}

/** The key of nothing: the parent a base image's FROM chains to. */
export const emptyKey: KeyRef = knownKey('');

/** Whether two keys are the same as far as planning can tell without working either out. */
export function sameKey(a: KeyRef, b: KeyRef): boolean {
  return a === b || a.token === b.token;
}

/**
 * Whether two steps' parts make the same key on the same parent, variables and results (a step
 * drafted again, e.g. after a line split inside it, whose key keeps its object and token).
 */
export function sameParts(a: KeyParts, b: KeyParts): boolean {
  return (
    a.op === b.op && a.command === b.command && a.workdir === b.workdir && a.user === b.user && a.platform === b.platform &&
    sameList(a.env, b.env) && sameList(a.reads?.stages, b.reads?.stages) && sameRecord(a.options, b.options) &&
    a.base?.ref === b.base?.ref && a.base?.digest === b.base?.digest &&
    (a.sources === b.sources || (a.sources !== undefined && b.sources !== undefined && a.sources.length === b.sources.length && a.sources.every((s, i) => s.path === b.sources?.[i].path && s.checksum === b.sources[i].checksum)))
  );
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return sameList(keys, Object.keys(b)) && keys.every((k) => a[k] === b[k]);
}

/** What a step's planner puts into its key; everything but the parent, the variables and other stages' results. */
export interface KeyParts {
  op: string;
  command: string;
  workdir: string;
  user: string;
  platform: string;
  /** A fixed env (a RUN's comes from its variables instead). */
  env?: string[];
  sources?: CacheKeyInputs['sources'];
  options?: CacheKeyInputs['options'];
  base?: CacheKeyInputs['base'];
  /** Stages whose results the key reads (COPY --from, RUN --mount from=), and how they enter it. */
  reads?: StageReads;
}

export interface StageReads {
  stages: readonly number[];
  /** The sources and options with each read stage's result (undefined: not planned yet). */
  render(results: readonly (string | undefined)[]): Pick<CacheKeyInputs, 'sources' | 'options'>;
}

/**
 * How the state after a step is keyed: by the step's own key (a layer, or a base image's FROM),
 * by its parent's (config steps, FROM a stage), or by the step's key merged onto its parent's
 * (`COPY --link`, whose own key leaves the parent out).
 */
export type StateKeying = 'own' | 'parent' | 'merged';

const noEnv: string[] = [];
let count = 0;

/** A step's cache key, its inputs and the key of the state after it, each worked out on first read. */
export class StepKeys implements KeyRef {
  private readonly id = ++count;
  private key: string | undefined = undefined;
  private state: string | undefined = undefined;
  private inputs: CacheKeyInputs | undefined = undefined;
  /** The parent's key, once this key is worked out (the parent object is dropped then). */
  private parentKey: string | undefined = undefined;
  /** Dropped once the key is known (it would hold the whole chain below). */
  private parent: KeyRef | undefined;

  constructor(
    parent: KeyRef,
    readonly parts: KeyParts,
    readonly keying: StateKeying,
    /** A RUN's variables: its key's env is their sorted entries. */
    readonly vars: Variables | undefined,
    /** The results of `parts.reads.stages`, in order. */
    readonly reads: readonly (KeyRef | undefined)[] | undefined,
  ) {
    this.parent = parent;
  }

  get token(): string {
    return `#${this.id}`;
  }

  get cacheKey(): string {
    if (this.key === undefined) settle(this);
    return this.key as string;
  }

  /** Made again when first read (few are: an explained cache miss, the plan as JSON), not kept from hashing. */
  get cacheKeyInputs(): CacheKeyInputs {
    if (this.key === undefined) settle(this);
    if (this.inputs === undefined) {
      const inputs = this.inputsOn(this.parentKey as string);
      this.inputs = this.vars ? runKeyInputs(inputs, this.vars) : inputs;
    }
    return this.inputs;
  }

  /** The key of the state after the step. */
  get value(): string {
    if (this.key === undefined) settle(this);
    return this.state as string;
  }

  /** A key this one is made from that is not worked out yet. */
  unsettledInput(): StepKeys | undefined {
    if (this.parent instanceof StepKeys && this.parent.key === undefined) return this.parent;
    if (this.reads) for (const r of this.reads) if (r instanceof StepKeys && r.key === undefined) return r;
    return undefined;
  }

  /** Works the key out; every key it is made from must be known. */
  settleHere(): void {
    const parent = (this.parent as KeyRef).value;
    const key = cacheKeyOf(this.inputsOn(parent));
    this.parentKey = parent;
    this.state = this.keying === 'own' ? key : this.keying === 'parent' ? parent : mergedKey(parent, key);
    this.key = key;
    this.parent = undefined;
  }

  /** The inputs on a parent filesystem key; every key read from other stages must be known. */
  private inputsOn(parent: string): CacheKeyInputs {
    const parts = this.parts;
    const rendered = parts.reads?.render((this.reads ?? []).map((r) => r?.value));
    return {
      parent: this.keying === 'merged' ? '' : parent,
      op: parts.op,
      command: parts.command,
      env: this.vars ? sortedEntries(this.vars) : parts.env ?? noEnv,
      workdir: parts.workdir,
      user: parts.user,
      platform: parts.platform,
      sources: rendered?.sources ?? parts.sources,
      options: rendered?.options ?? parts.options,
      base: parts.base,
    };
  }
}

/**
 * Works out `target` and every unknown key below it, oldest first, without recursion: a chain
 * runs through every step of a stage and the stages it copies from (tens of thousands deep).
 */
function settle(target: StepKeys): void {
  const stack: StepKeys[] = [target];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const input = top.unsettledInput();
    if (input) stack.push(input);
    else {
      top.settleHere();
      stack.pop();
    }
  }
}
