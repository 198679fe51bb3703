// Public entry of the Dockerfile parser: text -> syntax tree (never throws, linear time).
export * from './types';
export { parseDockerfile } from './parseDockerfile';
export type { ParseOptions } from './parseDockerfile';
export { dumpBuildkit, goQuote } from './buildkitDump';
export { formatProblem } from './formatProblem';
export { movedRange, positionAtOffset, positionInInstruction, rangeOfOffsets } from './textSegments';
export { processWord, lookupIn, emptyEnv } from './shell/lexer';
export type { EnvLookup, LexOptions, LexResult, VariableReference } from './shell/lexer';
export { parseHeredocMarker } from './heredocMarkers';
export { instructionFlags, flagsOf } from './flagRules';
export type { FlagKind } from './flagRules';
export { isKnownInstruction } from './parseInstruction';
export { lineAt, lineStartOffsets } from './sourceLines';
