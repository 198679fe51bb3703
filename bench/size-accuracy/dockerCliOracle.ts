// The docker CLI as an oracle for "the files that would be sent": run `docker build` (legacy
// builder) against a stand-in daemon on a Unix socket and capture the context tar it uploads.
// The CLI applies .dockerignore with moby/patternmatcher and writes the tar with Go's
// archive/tar (PAX, truncated times), the same conventions as BuildKit's layers.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

export function dockerCliAvailable(): boolean {
  try {
    execFileSync('docker', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The context tar the docker CLI would send for `contextDir`, or undefined without a docker CLI. */
export async function captureContextTar(contextDir: string): Promise<Buffer | undefined> {
  if (!dockerCliAvailable()) return undefined;
  const sockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-oracle-'));
  const socket = path.join(sockDir, 'docker.sock');
  let captured: Buffer | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('Api-Version', '1.45');
      res.setHeader('Ostype', 'linux');
      res.setHeader('Builder-Version', '1');
      if (req.url?.includes('/build')) {
        captured = Buffer.concat(chunks);
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ stream: 'captured\n' }) + '\n');
      } else if (req.url?.includes('_ping')) res.end('OK');
      else {
        res.statusCode = 404;
        res.end('{"message":"not supported"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await new Promise<void>((resolve) => {
      const child = spawn('docker', ['-H', `unix://${socket}`, 'build', '-q', contextDir], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: 'ignore' });
      child.on('exit', () => resolve());
      child.on('error', () => resolve());
    });
  } finally {
    server.close();
    fs.rmSync(sockDir, { recursive: true, force: true });
  }
  return captured;
}
