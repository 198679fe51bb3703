// Every rule Layerlens knows, with lookups by code and by hadolint alias.
import { consistentInstructionCasing, fromAsCasing, stageNameCasing } from './buildkit/casing';
import { copyIgnoredFile } from './buildkit/copyIgnoredFile';
import { exposeInvalidFormat, exposeProtoCasing } from './buildkit/expose';
import { fromPlatformFlagConstDisallowed, invalidBaseImagePlatform, invalidDefaultArgInFrom, redundantTargetPlatform, undefinedArgInFrom } from './buildkit/fromChecks';
import { invalidDefinitionDescription } from './buildkit/invalidDefinitionDescription';
import { jsonArgsRecommended } from './buildkit/jsonArgsRecommended';
import { legacyKeyValueFormat } from './buildkit/legacyKeyValueFormat';
import { maintainerDeprecated } from './buildkit/maintainerDeprecated';
import { multipleInstructionsDisallowed } from './buildkit/multipleInstructionsDisallowed';
import { noEmptyContinuation } from './buildkit/noEmptyContinuation';
import { secretsUsedInArgOrEnv } from './buildkit/secretsUsedInArgOrEnv';
import { duplicateStageName, reservedStageName } from './buildkit/stageNames';
import { undefinedVar } from './buildkit/undefinedVar';
import { workdirRelativePath } from './buildkit/workdirRelativePath';
import { contextCopiedBeforeDependencies } from './layers/contextCopyOrder';
import { secretCopiedIntoLayer } from './layers/secretInLayer';
import { cacheLeftInLayer, fileCopiedUp, fileDeletedInLaterLayer } from './layers/wastedSpace';
import { addInsteadOfCopy } from './practice/addInsteadOfCopy';
import { aptGetAssumeYes, aptInsteadOfAptGet, aptListsNotCleaned, aptNoInstallRecommends, aptPinVersions, aptUpgrade } from './practice/apt';
import { baseImageLatestTag, baseImageUntagged } from './practice/baseImagePinning';
import { apkNoCache, apkPinVersions, npmCacheNotCleaned, npmPinVersions, pipNoCacheDir, pipPinVersions } from './practice/languagePackages';
import { lastUserRoot } from './practice/lastUserRoot';
import { misplacedDirective } from './practice/misplacedDirective';
import { cdInRun, curlAndWget, pipefailMissing, sudoInRun } from './practice/shellHabits';
import type { Rule } from './rule';
import type { RuleMeta } from './types';

/** BuildKit's build checks, under BuildKit's names. */
export const buildkitRules: readonly Rule[] = [
  stageNameCasing, fromAsCasing, noEmptyContinuation, consistentInstructionCasing, duplicateStageName, reservedStageName,
  jsonArgsRecommended, maintainerDeprecated, undefinedArgInFrom, workdirRelativePath, undefinedVar, multipleInstructionsDisallowed,
  legacyKeyValueFormat, invalidBaseImagePlatform, redundantTargetPlatform, secretsUsedInArgOrEnv, invalidDefaultArgInFrom,
  fromPlatformFlagConstDisallowed, copyIgnoredFile, invalidDefinitionDescription, exposeProtoCasing, exposeInvalidFormat,
];

/** Best-practice rules (hadolint's, under our names with their DL codes as aliases). */
export const practiceRules: readonly Rule[] = [
  baseImageUntagged, baseImageLatestTag, aptPinVersions, aptNoInstallRecommends, aptGetAssumeYes, aptListsNotCleaned, aptUpgrade,
  aptInsteadOfAptGet, cdInRun, sudoInRun, addInsteadOfCopy, lastUserRoot, pipefailMissing, curlAndWget, pipNoCacheDir, pipPinVersions,
  npmCacheNotCleaned, npmPinVersions, apkNoCache, apkPinVersions, misplacedDirective,
];

/** Rules that read the layer structure. */
export const layerRules: readonly Rule[] = [fileDeletedInLaterLayer, contextCopiedBeforeDependencies, secretCopiedIntoLayer, fileCopiedUp, cacheLeftInLayer];

export const allRules: readonly Rule[] = [...buildkitRules, ...practiceRules, ...layerRules];

const byCode = new Map<string, Rule>(allRules.map((r) => [r.meta.code, r]));
const byAlias = new Map<string, string>();
for (const r of allRules) for (const alias of r.meta.hadolint ?? []) byAlias.set(alias, r.meta.code);

export function ruleMeta(code: string): RuleMeta | undefined {
  return byCode.get(code)?.meta;
}

/** Our code for a code as users write it (`DL3008` -> `AptPinVersions`); unknown codes unchanged. */
export function canonicalCode(code: string): string {
  return byAlias.get(code.toUpperCase()) ?? code;
}

/** Names a finding of `code` answers to in suppressions and settings: the code and its aliases. */
export function namesOf(code: string): string[] {
  return [code, ...(byCode.get(code)?.meta.hadolint ?? [])];
}
