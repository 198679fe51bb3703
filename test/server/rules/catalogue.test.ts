import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules, buildkitRules } from '../../../server/rules/registry';

const catalogue = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'rules.md'), 'utf8');

describe('rules: catalogue', () => {
  it('has unique codes, a one-line explanation, a fix and a documentation link for every rule', () => {
    const codes = allRules.map((r) => r.meta.code);
    assert.deepStrictEqual(codes, [...new Set(codes)]);
    for (const { meta } of allRules) {
      assert.match(meta.href, /^https:\/\//, meta.code);
      assert.ok(meta.explanation.length > 20 && !meta.explanation.includes('\n'), meta.code);
      assert.ok(meta.fix.length > 5, meta.code);
    }
  });

  it('covers every BuildKit build check under its BuildKit name', () => {
    const names = ['StageNameCasing', 'FromAsCasing', 'NoEmptyContinuation', 'ConsistentInstructionCasing', 'DuplicateStageName', 'ReservedStageName',
      'JSONArgsRecommended', 'MaintainerDeprecated', 'UndefinedArgInFrom', 'WorkdirRelativePath', 'UndefinedVar', 'MultipleInstructionsDisallowed',
      'LegacyKeyValueFormat', 'InvalidBaseImagePlatform', 'RedundantTargetPlatform', 'SecretsUsedInArgOrEnv', 'InvalidDefaultArgInFrom',
      'FromPlatformFlagConstDisallowed', 'CopyIgnoredFile', 'InvalidDefinitionDescription', 'ExposeProtoCasing', 'ExposeInvalidFormat'];
    assert.deepStrictEqual(buildkitRules.map((r) => r.meta.code).sort(), [...names].sort());
    assert.ok(buildkitRules.every((r) => r.meta.origin === 'buildkit'));
  });

  it('docs/rules.md lists every code and every hadolint alias', () => {
    for (const { meta } of allRules) {
      assert.ok(catalogue.includes(`[${meta.code}](${meta.href})`), `${meta.code} missing from docs/rules.md`);
      for (const alias of meta.hadolint ?? []) assert.ok(catalogue.includes(alias), `${alias} missing from docs/rules.md`);
    }
  });
});
