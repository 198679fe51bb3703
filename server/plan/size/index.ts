// Public entry of size prediction (issue 5): layer sizes, wasted space, disk accounting.
export { predictLayerSizes, predictStepSizes, predictStepSizesInSteps, stepSizesOf, type SizeReport, type StageSizeReport, type StepSizeReport } from './predictLayerSizes';
export { describeStepSize, formatBytes } from './formatBytes';
export type { SizeFinding, SizePrediction } from './sizePrediction';
export type * from './sizeReaders';
export type { FileKind, FileNode } from './fileTree';
export { tarLayerSize, tarEntryBytes, type LayerEntry, type TarLayerSize } from './tarLayerSize';
export { selectCopySources, type CopySelection, type CopySourceOptions } from './selectCopySources';
export { PatternMatcher, PatternSyntaxError } from './patternMatcher';
export type { WastedPath, StepRef } from './stageFileState';
export { accountDiskUsage, type DiskUsage, type ImageDiskUsage, type ImageLayers, type ContainerLayer, type StoredLayer } from './diskAccounting';
export { imageEfficiency, type ImageEfficiency, type Inefficiency } from './imageEfficiency';
