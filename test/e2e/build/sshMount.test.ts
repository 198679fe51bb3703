// RUN --mount=type=ssh with `layerlens build --ssh`: a real ssh-agent on the host (openssh-client),
// a tiny static probe (compiled here) that asks the agent through the forwarded socket for its
// identities, the socket's place and type in the container, SSH_AUTH_SOCK, key files through a
// private agent, required=true without --ssh, and nothing of it in a layer.
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { assertBuilt, build, buildOk, imageFiles, layerTars, storeWithBusybox, tempDir, writeTree } from './buildFixture';

// Connects to argv[1] (else $SSH_AUTH_SOCK), sends SSH2_AGENTC_REQUEST_IDENTITIES, prints the
// answer's type and identity count ("12 1": SSH2_AGENT_IDENTITIES_ANSWER with one key).
const PROBE_C = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  const char *p = argc > 1 ? argv[1] : getenv("SSH_AUTH_SOCK");
  if (!p) { puts("no socket"); return 2; }
  struct sockaddr_un a; memset(&a, 0, sizeof a); a.sun_family = AF_UNIX;
  strncpy(a.sun_path, p, sizeof a.sun_path - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 3; }
  unsigned char req[5] = {0, 0, 0, 1, 11}, res[9];
  if (write(fd, req, 5) != 5) return 4;
  size_t got = 0;
  while (got < 9) { ssize_t n = read(fd, res + got, 9 - got); if (n <= 0) return 5; got += (size_t)n; }
  printf("%d %u\\n", res[4], (unsigned)res[5] << 24 | (unsigned)res[6] << 16 | (unsigned)res[7] << 8 | res[8]);
  return 0;
}
`;

const DOCKERFILE = `FROM busybox:e2e
COPY probe /usr/local/bin/probe
RUN --mount=type=ssh test -S /run/buildkit/ssh_agent.0 && echo "$SSH_AUTH_SOCK" > /sock-env && probe > /probe-default
RUN --mount=type=ssh,id=keys,target=/tmp/keys.sock,mode=0666 probe /tmp/keys.sock > /probe-keys && echo "[\${SSH_AUTH_SOCK:-unset}]" > /sock-env-keys && stat -c %a /tmp/keys.sock > /keys-mode
RUN --mount=type=ssh,id=absent echo skipped > /absent
`;

describe('build: RUN --mount=type=ssh (busybox, ssh-agent)', function () {
  this.timeout(240000);
  let work: string;
  let store: string;
  let ctx: string;
  let agent: ChildProcess;
  let agentSock: string;
  let key: string;

  before(async () => {
    assertBuilt();
    work = tempDir('layerlens-build-ssh-');
    store = await storeWithBusybox(work);
    ctx = writeTree(path.join(work, 'ctx'), { Dockerfile: DOCKERFILE, 'probe.c': PROBE_C });
    execFileSync('gcc', ['-static', '-O1', '-o', path.join(ctx, 'probe'), path.join(ctx, 'probe.c')]);
    key = path.join(work, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    agentSock = path.join(work, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', agentSock], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !fs.existsSync(agentSock); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: agentSock } });
    execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: agentSock } });
  });

  after(() => {
    if (agent?.exitCode === null) agent.kill('SIGTERM');
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('forwards the agent socket at /run/buildkit/ssh_agent.0 (SSH_AUTH_SOCK) and key files through a private agent; nothing in a layer', async () => {
    // the second key file is the same key twice: a private agent holds it once
    await buildOk(['-t', 'ssh:1', '--ssh', `default=${agentSock}`, '--ssh', `keys=${key}`, ctx], { store });
    const files = await imageFiles(store, 'ssh:1');
    const read = (p: string) => files.readFile(p)?.toString().trim();
    assert.strictEqual(read('/sock-env'), '/run/buildkit/ssh_agent.0');
    assert.strictEqual(read('/probe-default'), '12 1', 'the host agent answered with its one identity');
    assert.strictEqual(read('/probe-keys'), '12 1', 'the private agent holds the key file');
    assert.strictEqual(read('/sock-env-keys'), '[unset]', 'SSH_AUTH_SOCK only for id=default');
    assert.strictEqual(read('/keys-mode'), '666');
    assert.strictEqual(read('/absent'), 'skipped', 'an ssh mount nobody gave is skipped unless required');
    for (const tar of await layerTars(store, 'ssh:1')) {
      const names = execFileSync('tar', ['-tf', '-'], { input: tar, encoding: 'utf8' });
      assert.doesNotMatch(names, /ssh_agent|keys\.sock|run\/buildkit|^run\/$/m, names);
    }
    assert.strictEqual(files.node('/run/buildkit'), undefined);
    assert.strictEqual(files.node('/tmp/keys.sock'), undefined);
    assert.ok(fs.statSync(agentSock).isSocket(), 'the host socket is untouched');
    assert.strictEqual(fs.statSync(agentSock).mode & 0o777, 0o600);
  });

  it('required=true without --ssh fails clearly; a bad --ssh value is refused', async () => {
    const strict = writeTree(path.join(work, 'strict'), { Dockerfile: 'FROM busybox:e2e\nRUN --mount=type=ssh,required=true true\n' });
    const r = await build([strict], { store, env: { SSH_AUTH_SOCK: '' } });
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr + JSON.stringify(r.events), /ssh agent default is required but was not given \(layerlens build --ssh default/);
    const bad = await build(['--ssh', `default=${path.join(work, 'nope')}`, strict], { store });
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /neither an agent socket nor a readable key file/);
  });
});
