// What the planner and size prediction read besides the text: the build context of each
// Dockerfile (scanned once, kept current by watchers), package indexes, download sizes and the
// sizes measured by earlier builds. Background work calls `onChange` when it has news, saying
// what kind: build-context content that changes a document's cache keys (re-plan), or facts
// that only change predicted sizes (keep the plan, predict sizes again).
import * as path from 'path';
import { fileURLToPath } from 'url';
import * as fs from 'fs';
import { measuredSizesPath, readMeasuredSizes, type MeasuredSizes } from '../runner/build/measuredSizes';
import { defaultStoreRoot } from '../runner/store/storeRoot';
import { openBuildContext, type OpenBuildContext } from './context';
import { BaseImageSizes } from './images/baseImageSizes';
import { StoreImageFiles } from './images/storeImageFiles';
import {
  AlpinePackageSizes, aptListsFetcher, DebianPackageSizes, DownloadSizes, firstOf, httpApkFetcher, httpIndexFetcher, NpmPackageSizes, PackageSizes,
} from './packages';
import type { BuildContextReader } from './plan';
import type { SizeReaders } from './plan/size';
import { RecordingContextReader } from './recordingContextReader';

/** What background work learned: a document's cache keys may be stale, or only sizes moved. */
export type InputChange = { kind: 'plan'; uri: string } | { kind: 'sizes'; uri?: string };

const MEASURED_REFRESH_MS = 5000;
/** A larger context is reported as too large to predict from (and is not watched). */
const MAX_CONTEXT_ENTRIES = 50_000;

export class PlanInputs {
  private readonly contexts = new Map<string, { context: OpenBuildContext; recorded: RecordingContextReader }>();
  private readonly apt: DebianPackageSizes;
  private readonly packages: PackageSizes;
  private readonly npm: NpmPackageSizes;
  private readonly downloads: DownloadSizes;
  private readonly images: BaseImageSizes;
  private insecureRegistries: readonly string[] = [];
  private measuredLoading: Promise<void> = Promise.resolve();
  private measured: MeasuredSizes | undefined;
  private measuredLoadedAt = 0;
  /** The measured-sizes file as last read (size, modification time, inode): unchanged, the reader is kept. */
  private measuredStamp = '';
  private workspaceFolders: string[] = [];

  /** `measuredRefreshMs`: how often the measured sizes may be read again (tests shorten it). */
  constructor(private readonly onChange: (change: InputChange) => void, private readonly measuredRefreshMs = MEASURED_REFRESH_MS) {
    // apt/apk read a local base image's own package database (dpkg status, apk installed).
    const imageFiles = new StoreImageFiles();
    const sizes = () => onChange({ kind: 'sizes' });
    this.apt = new DebianPackageSizes({ fetchIndex: firstOf(aptListsFetcher(), httpIndexFetcher()), images: imageFiles, onChange: sizes });
    const apk = new AlpinePackageSizes({ fetch: httpApkFetcher(), images: imageFiles, onChange: sizes });
    this.images = new BaseImageSizes({ onChange: sizes, insecureRegistries: () => this.insecureRegistries });
    this.npm = new NpmPackageSizes({ onChange: sizes });
    this.packages = new PackageSizes({ apt: this.apt, apk, npm: this.npm });
    this.downloads = new DownloadSizes({ onChange: sizes });
  }

  /** `layerlens.registries.insecure`: registries FROM size lookups may reach over plain HTTP. */
  setInsecureRegistries(registries: readonly string[]): void {
    this.insecureRegistries = [...registries];
  }

  setWorkspaceFolders(uris: string[]): void {
    this.workspaceFolders = uris.flatMap((u) => (u.startsWith('file:') ? [fileURLToPath(u)] : []));
  }

  /** The build context of a Dockerfile: its innermost workspace folder, else its directory. */
  contextDirOf(dockerfilePath: string): string {
    const folders = this.workspaceFolders.filter((f) => dockerfilePath.startsWith(f + path.sep));
    return folders.sort((a, b) => b.length - a.length)[0] ?? path.dirname(dockerfilePath);
  }

  private contextOf(uri: string): { context: OpenBuildContext; recorded: RecordingContextReader } | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const dockerfilePath = fileURLToPath(uri);
    let open = this.contexts.get(uri);
    if (!open) {
      const context = openBuildContext({ contextDir: this.contextDirOf(dockerfilePath), dockerfilePath, maxEntries: MAX_CONTEXT_ENTRIES });
      const recorded = new RecordingContextReader(context.reader);
      // The scanner's news changes a cache key only when a checksum the plan read is now different.
      const changed = () => this.onChange(recorded.answersChanged() ? { kind: 'plan', uri } : { kind: 'sizes', uri });
      context.scanner.onDidChange(changed);
      context.ready.then(changed, () => undefined);
      this.contexts.set(uri, (open = { context, recorded }));
    }
    return open;
  }

  /** For PlanOptions.context: COPY/ADD content checksums (undefined for untitled documents). */
  contextReader(uri: string): BuildContextReader | undefined {
    return this.contextOf(uri)?.recorded;
  }

  sizeReaders(uri: string): SizeReaders {
    this.refreshMeasured();
    // No measurements, no reader: size prediction then reads no cache key (they are worked out when first read).
    return { context: this.contextOf(uri)?.context.reader, packages: this.packages, downloads: this.downloads, images: this.images, measured: this.measured && this.measured.count > 0 ? this.measured : undefined };
  }

  /** Re-reads the sizes earlier builds measured, at most every few seconds, in the background. */
  private refreshMeasured(): void {
    if (Date.now() - this.measuredLoadedAt < this.measuredRefreshMs) return;
    this.measuredLoadedAt = Date.now();
    // One read after another: two at once would both tell of the same change.
    this.measuredLoading = this.measuredLoading.then(() => this.readMeasured()).catch(() => undefined);
  }

  private async readMeasured(): Promise<void> {
    const before = this.measured?.count ?? 0;
    const root = defaultStoreRoot();
    // The same reader object while the file is unchanged: size prediction then looks up no
    // measured size again (a new reader makes it check every layer, ~4,500 on a 30,000-line file).
    const stamp = await fs.promises.stat(measuredSizesPath(root)).then((s) => `${s.size}:${s.mtimeMs}:${s.ino}`, () => 'none');
    if (this.measured && stamp === this.measuredStamp) return;
    const measured = await readMeasuredSizes(root);
    this.measuredStamp = stamp;
    this.measured = measured;
    if (measured.count !== before) this.onChange({ kind: 'sizes' });
  }

  /** Resolves when the background work a plan of `uri` started has finished (for one-shot use). */
  async settled(uri: string): Promise<void> {
    const context = this.contextOf(uri)?.context;
    if (context) {
      await context.ready.catch(() => undefined);
      await context.reader.settle();
    }
    await Promise.all([this.apt.settled(), this.downloads.settled(), this.images.settled(), this.npm.settled(), this.measuredLoading]);
  }

  dispose(): void {
    for (const { context } of this.contexts.values()) context.dispose();
    this.contexts.clear();
  }

  close(uri: string): void {
    this.contexts.get(uri)?.context.dispose();
    this.contexts.delete(uri);
  }
}
