// NODE_EXTRA_CA_CERTS deferred by bin/layerlens: Node's start-up no longer reads the file, the
// registry client trusts its certificates on the first HTTPS request, and child processes get the
// variable back.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { deferExtraCaCertificates } from '../../../runner/registry/extraCaCertificates';
import { discard, httpRequest } from '../../../runner/registry/httpRequest';

const BIN = path.resolve(__dirname, '..', '..', '..', '..', 'bin', 'layerlens');
const KEY = Symbol.for('layerlens.deferredExtraCaCertificates');

describe('extra CA certificates deferred past Node start-up', function () {
  this.timeout(20000);
  let dir: string;
  let server: https.Server;
  let url: URL;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-ca-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2'], { stdio: 'ignore' });
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`);
  });
  after(() => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the self-signed registry until its certificate is deferred, then trusts it', async () => {
    await assert.rejects(httpRequest({ method: 'GET', url }), /self-signed certificate/);
    deferExtraCaCertificates(path.join(dir, 'cert.pem'));
    const res = await httpRequest({ method: 'GET', url });
    assert.strictEqual(res.status, 200);
    discard(res);
  });

  it('keeps the file away from Node start-up for registry-only commands, and not for build, plan or lsp', () => {
    const missing = path.join(dir, 'no-such-bundle.pem');
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: missing, LAYERLENS_STORE: path.join(dir, 'store') };
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM scratch\n');
    // Node warns at start-up about an extra-certificates file it cannot read: the warning shows
    // whether start-up read it.
    const parse = spawnSync(BIN, ['parse', dockerfile], { encoding: 'utf8', env });
    assert.strictEqual(parse.status, 0, parse.stderr);
    assert.doesNotMatch(parse.stderr, /extra certs/);
    const plan = spawnSync(BIN, ['plan', '--no-sizes', dockerfile], { encoding: 'utf8', env });
    assert.strictEqual(plan.status, 0, plan.stderr);
    assert.match(plan.stderr, /Ignoring extra certs from `.*no-such-bundle\.pem`/);
  });
});
