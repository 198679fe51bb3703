import * as assert from 'assert';
import { fixOnce, lint, only, textAt } from './lintText';

describe('rules: FROM checks', () => {
  describe('UndefinedArgInFrom', () => {
    it('reports an undeclared variable at its name, with a suggestion and fix', () => {
      const text = 'ARG VERSION=3.20\nFROM alpine:${VERSON}\n';
      const [p] = only(lint(text), 'UndefinedArgInFrom');
      assert.strictEqual(p.message, "FROM argument 'VERSON' is not declared (did you mean VERSION?)");
      assert.strictEqual(textAt(text, p.range), 'VERSON');
      assert.strictEqual(fixOnce(text, 'UndefinedArgInFrom'), 'ARG VERSION=3.20\nFROM alpine:${VERSION}\n');
    });
    it('accepts declared ARGs (even without value) and predefined platform ARGs', () => {
      const text = 'ARG TAG\nFROM --platform=$BUILDPLATFORM alpine:${TAG:-3.20}\n';
      assert.deepStrictEqual(only(lint(text), 'UndefinedArgInFrom'), []);
    });
    it('checks the --platform value too', () => {
      const found = only(lint('FROM --platform=$PLATFROM alpine:3.20\n'), 'UndefinedArgInFrom');
      assert.strictEqual(found.length, 1);
    });
  });

  describe('InvalidDefaultArgInFrom', () => {
    it('reports a FROM that is empty with the default ARG values', () => {
      const found = only(lint('ARG IMAGE\nFROM ${IMAGE}\n', { buildArgs: { IMAGE: 'alpine:3.20' } }), 'InvalidDefaultArgInFrom');
      assert.strictEqual(found.length, 1);
      assert.strictEqual(found[0].message, 'Default value for ARG ${IMAGE} results in empty or invalid base image name');
    });
    it('is one problem with the planner\'s blank-base error when both apply', () => {
      const problems = lint('ARG IMAGE\nFROM ${IMAGE}\n');
      assert.deepStrictEqual(problems.filter((p) => p.range.start.line === 1 && /IMAGE/.test(p.message)).map((p) => p.code), ['blank-base']);
    });
    it('reports a default that forms an invalid reference', () => {
      assert.strictEqual(only(lint('ARG TAG=\nFROM alpine:${TAG}\n', { buildArgs: { TAG: '3.20' } }), 'InvalidDefaultArgInFrom').length, 1);
    });
    it('accepts valid defaults and stage names', () => {
      assert.deepStrictEqual(only(lint('ARG IMAGE=alpine:3.20\nARG BASE=build\nFROM ${IMAGE} AS build\nFROM ${BASE}\n'), 'InvalidDefaultArgInFrom'), []);
    });
  });

  describe('RedundantTargetPlatform', () => {
    it('reports --platform=$TARGETPLATFORM and removes it', () => {
      const text = 'FROM --platform=$TARGETPLATFORM alpine:3.20\n';
      const [p] = only(lint(text), 'RedundantTargetPlatform');
      assert.strictEqual(p.message, 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior');
      assert.strictEqual(fixOnce(text, 'RedundantTargetPlatform'), 'FROM alpine:3.20\n');
    });
    it('accepts $BUILDPLATFORM', () => {
      assert.deepStrictEqual(only(lint('FROM --platform=${BUILDPLATFORM} alpine:3.20\n'), 'RedundantTargetPlatform'), []);
    });
  });

  describe('FromPlatformFlagConstDisallowed', () => {
    it('reports a constant platform at the value', () => {
      const text = 'FROM --platform=linux/arm64 alpine:3.20 AS build\n';
      const [p] = only(lint(text), 'FromPlatformFlagConstDisallowed');
      assert.strictEqual(p.message, 'FROM --platform flag should not use constant value "linux/arm64"');
      assert.strictEqual(textAt(text, p.range), 'linux/arm64');
    });
    it('accepts a constant when the stage name names the platform, and variables', () => {
      assert.deepStrictEqual(only(lint('FROM --platform=linux/arm64 alpine:3.20 AS build-arm64\nFROM --platform=$BUILDPLATFORM alpine:3.20\n'), 'FromPlatformFlagConstDisallowed'), []);
    });
  });

  describe('InvalidBaseImagePlatform', () => {
    const images = { find: (ref: string) => (ref.startsWith('alpine') ? { digest: 'sha256:' + 'a'.repeat(64), platform: 'linux/arm64' } : undefined) };
    it('reports a stored base image of another platform', () => {
      const [p] = only(lint('FROM alpine:3.20\n', { images }), 'InvalidBaseImagePlatform');
      assert.ok(p);
      assert.match(p.message, /^Base image .*alpine:3\.20 was pulled with platform "linux\/arm64", expected "linux\/amd64" for current build$/);
    });
    it('is quiet for matching or unknown images', () => {
      assert.deepStrictEqual(only(lint('FROM --platform=linux/arm64 alpine:3.20 AS arm64\nFROM debian:12\n', { images }), 'InvalidBaseImagePlatform'), []);
    });
  });
});
