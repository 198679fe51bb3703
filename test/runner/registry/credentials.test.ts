import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lookupCredentials } from '../../../runner/registry/credentials';

describe('lookupCredentials (docker config.json)', () => {
  let dir: string;
  let oldPath: string | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-creds-'));
    // real credential helpers, as the docker CLI runs them: `docker-credential-NAME get`, server URL on stdin
    const helper = (name: string, body: string) => {
      fs.writeFileSync(path.join(dir, `docker-credential-${name}`), `#!/bin/sh\nread server\n${body}\n`, { mode: 0o755 });
    };
    helper('pass', 'echo "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"helper-user\\",\\"Secret\\":\\"for-$server\\"}"');
    helper('store', 'if [ "$server" = "store.example" ]; then echo "{\\"Username\\":\\"<token>\\",\\"Secret\\":\\"idtok\\"}"; else echo "credentials not found in native keychain"; exit 1; fi');
    oldPath = process.env.PATH;
    process.env.PATH = `${dir}:${oldPath}`;
  });
  after(() => {
    process.env.PATH = oldPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (config: unknown) => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('reads auths entries (base64 user:password, identity tokens), Docker Hub under its v1 URL', async () => {
    const file = write({ auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
      'https://reg.example:5000': { auth: Buffer.from('u:p').toString('base64') },
      'tok.example': { identitytoken: 'refresh-me' },
    } });
    assert.deepStrictEqual(await lookupCredentials('docker.io', file), { username: 'hub', password: 'pw:with:colons' });
    assert.deepStrictEqual(await lookupCredentials('reg.example:5000', file), { username: 'u', password: 'p' });
    assert.deepStrictEqual(await lookupCredentials('tok.example', file), { identityToken: 'refresh-me' });
    assert.strictEqual(await lookupCredentials('other.example', file), undefined);
    assert.strictEqual(await lookupCredentials('docker.io', path.join(dir, 'missing.json')), undefined);
  });

  it('runs credHelpers per registry and credsStore for the rest', async () => {
    const file = write({ credHelpers: { 'helped.example': 'pass', 'docker.io': 'pass' }, credsStore: 'store', auths: { 'plain.example': { auth: Buffer.from('a:b').toString('base64') } } });
    assert.deepStrictEqual(await lookupCredentials('helped.example', file), { username: 'helper-user', password: 'for-helped.example' });
    assert.deepStrictEqual(await lookupCredentials('docker.io', file), { username: 'helper-user', password: 'for-https://index.docker.io/v1/' });
    assert.deepStrictEqual(await lookupCredentials('store.example', file), { identityToken: 'idtok' });
    assert.deepStrictEqual(await lookupCredentials('plain.example', file), { username: 'a', password: 'b' }, 'credsStore without an entry falls back to auths');
  });

  it('names a missing helper and a broken file', async () => {
    await assert.rejects(lookupCredentials('x.example', write({ credHelpers: { 'x.example': 'absent' } })), /docker-credential-absent is not installed/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{');
    await assert.rejects(lookupCredentials('x.example', path.join(dir, 'bad.json')), /bad\.json: .*JSON/);
  });
});
