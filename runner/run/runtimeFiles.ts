// /etc/hosts, /etc/hostname and /etc/resolv.conf for a container, written into its bundle
// directory and bound over the image's own files.
import * as fs from 'fs';
import * as path from 'path';
import type { MountSpec, NetworkMode } from './containerSpec';

function hostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function hostsFile(hostname: string, network: NetworkMode): string {
  const own = `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${hostname}\n`;
  return network === 'host' ? `${own}${hostFile('/etc/hosts')}` : own;
}

export function resolvConf(network: NetworkMode): string {
  return network === 'host' ? hostFile('/etc/resolv.conf') : '# network none: no name servers\n';
}

export function writeRuntimeFiles(bundleDir: string, hostname: string, network: NetworkMode): MountSpec[] {
  const files: [string, string][] = [
    ['hosts', hostsFile(hostname, network)],
    ['hostname', `${hostname}\n`],
    ['resolv.conf', resolvConf(network)],
  ];
  return files.map(([name, content]) => {
    const source = path.join(bundleDir, name);
    fs.writeFileSync(source, content);
    return { type: 'bind' as const, source, target: `/etc/${name}` };
  });
}
