import * as assert from 'assert';
import { fixOnce, lint, only, textAt } from './lintText';

describe('rules: instruction forms', () => {
  describe('JSONArgsRecommended', () => {
    it('reports shell-form CMD and ENTRYPOINT and converts simple commands to exec form', () => {
      const text = 'FROM node:22\nENTRYPOINT node server.js --port=80\n';
      const [p] = only(lint(text), 'JSONArgsRecommended');
      assert.strictEqual(p.message, 'JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals');
      assert.strictEqual(textAt(text, p.range), 'node server.js --port=80');
      assert.strictEqual(fixOnce(text, 'JSONArgsRecommended'), 'FROM node:22\nENTRYPOINT ["node", "server.js", "--port=80"]\n');
    });
    it('offers no conversion when the command uses shell syntax', () => {
      const [p] = only(lint('FROM node:22\nCMD node server.js > /log 2>&1\n'), 'JSONArgsRecommended');
      assert.deepStrictEqual(p.fixes, []);
    });
    it('is quiet for exec form and after an explicit SHELL (also in a base stage)', () => {
      assert.deepStrictEqual(only(lint('FROM node:22\nCMD ["node"]\n'), 'JSONArgsRecommended'), []);
      assert.deepStrictEqual(only(lint('FROM node:22 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nCMD echo hi\n'), 'JSONArgsRecommended'), []);
    });
  });

  describe('MaintainerDeprecated', () => {
    it('reports MAINTAINER and replaces it with the OCI authors label', () => {
      const text = 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n';
      const [p] = only(lint(text), 'MaintainerDeprecated');
      assert.strictEqual(p.message, 'Maintainer instruction is deprecated in favor of using label');
      assert.strictEqual(p.tag, 'deprecated');
      assert.strictEqual(fixOnce(text, 'MaintainerDeprecated'), 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n');
    });
    it('is quiet without MAINTAINER', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nLABEL a=b\n'), 'MaintainerDeprecated'), []);
    });
  });

  describe('MultipleInstructionsDisallowed', () => {
    it('reports the earlier CMD/ENTRYPOINT/HEALTHCHECK of a stage and can delete it', () => {
      const text = 'FROM alpine:3.20\nCMD ["a"]\nHEALTHCHECK NONE\nCMD ["b"]\nHEALTHCHECK NONE\n';
      const found = only(lint(text), 'MultipleInstructionsDisallowed');
      assert.deepStrictEqual(found.map((p) => p.range.start.line), [1, 2]);
      assert.strictEqual(found[0].message, 'Multiple CMD instructions should not be used in the same stage because only the last one will be used');
      assert.strictEqual(fixOnce(text, 'MultipleInstructionsDisallowed'), 'FROM alpine:3.20\nHEALTHCHECK NONE\nCMD ["b"]\nHEALTHCHECK NONE\n');
    });
    it('counts per stage', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nCMD ["a"]\nFROM alpine:3.20\nCMD ["b"]\n'), 'MultipleInstructionsDisallowed'), []);
    });
  });

  describe('LegacyKeyValueFormat', () => {
    it('reports `ENV key value` and rewrites it as key="value"', () => {
      const text = 'FROM alpine:3.20\nENV GREETING hello world\n';
      const [p] = only(lint(text), 'LegacyKeyValueFormat');
      assert.strictEqual(p.message, '"ENV key=value" should be used instead of legacy "ENV key value" format');
      assert.strictEqual(fixOnce(text, 'LegacyKeyValueFormat'), 'FROM alpine:3.20\nENV GREETING="hello world"\n');
    });
    it('reports legacy LABEL and keeps an already quoted value', () => {
      assert.strictEqual(fixOnce('FROM alpine:3.20\nLABEL version "1.0 beta"\n', 'LegacyKeyValueFormat'), 'FROM alpine:3.20\nLABEL version="1.0 beta"\n');
    });
    it('is quiet for key=value', () => {
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nENV A=1 B="x y"\n'), 'LegacyKeyValueFormat'), []);
    });
  });

  describe('ExposeProtoCasing and ExposeInvalidFormat', () => {
    it('reports an upper-case protocol at the protocol and lowercases it', () => {
      const text = 'FROM alpine:3.20\nEXPOSE 80/TCP 53/udp\n';
      const [p] = only(lint(text), 'ExposeProtoCasing');
      assert.strictEqual(p.message, "Defined protocol '80/TCP' in EXPOSE instruction should be lowercase");
      assert.strictEqual(textAt(text, p.range), 'TCP');
      assert.strictEqual(fixOnce(text, 'ExposeProtoCasing'), 'FROM alpine:3.20\nEXPOSE 80/tcp 53/udp\n');
    });
    it('reports IP addresses and host ports and keeps only the container port', () => {
      const text = 'FROM alpine:3.20\nEXPOSE 127.0.0.1:8080:80/udp 9000:90\n';
      const found = only(lint(text), 'ExposeInvalidFormat');
      assert.deepStrictEqual(found.map((p) => p.message), [
        "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:8080:80/udp'",
        "EXPOSE instruction should not define an IP address or host-port mapping, found '9000:90'",
      ]);
      assert.strictEqual(fixOnce(text, 'ExposeInvalidFormat'), 'FROM alpine:3.20\nEXPOSE 80/udp 9000:90\n');
    });
    it('checks expanded variables and is quiet for plain ports', () => {
      assert.strictEqual(only(lint('FROM alpine:3.20\nENV P=8080:80\nEXPOSE $P\n'), 'ExposeInvalidFormat').length, 1);
      assert.deepStrictEqual(only(lint('FROM alpine:3.20\nEXPOSE 80 443/tcp 1000-2000/udp\n'), 'ExposeInvalidFormat').concat(only(lint('FROM alpine:3.20\nEXPOSE 80\n'), 'ExposeProtoCasing')), []);
    });
  });

  describe('WorkdirRelativePath', () => {
    it('reports the first relative WORKDIR of a build', () => {
      const text = 'FROM nginx:1.27\nWORKDIR usr/share/nginx/html\nWORKDIR sub\n';
      const found = only(lint(text), 'WorkdirRelativePath');
      assert.strictEqual(found.length, 1);
      assert.strictEqual(found[0].message, 'Relative workdir "usr/share/nginx/html" can have unexpected results if the base image changes');
      assert.strictEqual(textAt(text, found[0].range), 'usr/share/nginx/html');
    });
    it('accepts relative paths after an absolute WORKDIR, also inherited from a base stage', () => {
      assert.deepStrictEqual(only(lint('FROM nginx:1.27 AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n'), 'WorkdirRelativePath'), []);
    });
  });
});
