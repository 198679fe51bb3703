// What every step of one build shares: the store, scratch space, the build context, secrets,
// defaults from the command line, the event sink, and access to other stages' and images' files.
import type { FileNode } from '../../server/plan/size/fileTree';
import type { NetworkMode } from '../run/containerSpec';
import type { ImageStore } from '../store/imageStore';
import type { ContainerIds } from './containerIds';
import type { BuildEvent } from './events';
import type { ImageState } from './imageConfig';
import type { LayerRef } from './layerStack';
import type { LayerUnion } from './layerUnion';
import type { ScratchSpace } from './scratchSpace';
import type { SecretSource } from './secrets';
import type { SshAgents } from './sshAgents';

/** A stage's file system and image state at some point of the build. */
export interface StageState {
  layers: LayerRef[];
  image: ImageState;
  /** Build cache key of the file system (chained through every layer step). */
  buildKey: string;
}

export interface BuildContextView {
  dir: string;
  /** The context as it is sent (.dockerignore applied). */
  tree: FileNode;
  /** .dockerignore excludes something: the directory itself must never be exposed as it is. */
  filtered: boolean;
  /** Content checksum of a context path (as the plan computes it), for keys the plan leaves open. */
  checksum(source: string): string | undefined;
}

export interface BuildSession {
  readonly store: ImageStore;
  readonly scratch: ScratchSpace;
  readonly context: BuildContextView;
  readonly secrets: ReadonlyMap<string, SecretSource>;
  /** Entitlements the build was given (`--allow`). */
  readonly allow: ReadonlySet<string>;
  /** `--ssh` agents (RUN --mount=type=ssh). */
  readonly ssh: SshAgents;
  /** RUN's network unless a step says otherwise. */
  readonly network: NetworkMode;
  /** SOURCE_DATE_EPOCH in seconds. */
  readonly epoch?: number;
  readonly ids: ContainerIds;
  readonly signal?: AbortSignal;
  /** Build args that are proxies (HTTP_PROXY...): given to RUN, never recorded. */
  readonly proxyEnv: string[];
  emit(event: BuildEvent): void;
  /** The final state of an earlier stage (waits until it is built). */
  stage(index: number): Promise<StageState>;
  /** The layers of an image by reference (pulled when missing). */
  imageLayers(ref: string, platform: string): Promise<LayerRef[]>;
  /** A view over layers, unpacking them first when needed. */
  union(layers: readonly LayerRef[]): Promise<LayerUnion>;
  /** Runs `fn` holding the named lock of this process (cache mounts with sharing=locked). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
