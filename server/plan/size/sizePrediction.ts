// The detailed result of predicting one step's layer size (the plan keeps a summary of it).
import type { SizeConfidence } from '../types';
import type { LayerEntry } from './tarLayerSize';

/** A diagnostic-worthy fact found while sizing (exported for the diagnostics feature). */
export interface SizeFinding {
  code: 'cache-left-behind' | 'wasted-space' | 'copy-up' | 'missing-source' | 'size-error';
  stageIndex: number;
  stepIndex: number;
  message: string;
  bytes?: number;
  paths: string[];
}

export interface SizePrediction {
  /** Uncompressed layer tar bytes; undefined when unknown. */
  bytes?: number;
  confidence: SizeConfidence;
  basis: string;
  /** Regular-file bytes of the layer, when known. */
  contentBytes?: number;
  /** Compressed bytes, when a registry told us (FROM). */
  compressedBytes?: number;
  findings: SizeFinding[];
}

const ORDER: SizeConfidence[] = ['exact', 'high', 'medium', 'low', 'unknown'];

/** The weaker of two confidences. */
export function weakerConfidence(a: SizeConfidence, b: SizeConfidence): SizeConfidence {
  return ORDER[Math.max(ORDER.indexOf(a), ORDER.indexOf(b))];
}

export function unknownSize(basis: string, findings: SizeFinding[] = []): SizePrediction {
  return { confidence: 'unknown', basis, findings };
}

/** Entries a step writes, as tar entries with their origin node (for later steps). */
export type WrittenEntries = { entry: LayerEntry; node?: import('./fileTree').FileNode }[];
