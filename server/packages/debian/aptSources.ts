// apt sources: one-line `deb [opts] uri suite components...` files and deb822 `.sources` files.
import { parseParagraphs } from './parseControl';

export interface AptSource {
  uri: string;
  suite: string;
  components: string[];
}

export function parseSourcesList(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m || m[2].endsWith('/')) continue;
    out.push({ uri: m[1].replace(/\/$/, ''), suite: m[2], components: m[3].split(/\s+/).filter(Boolean) });
  }
  return out;
}

export function parseDeb822Sources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const p of parseParagraphs(text, ['Types', 'URIs', 'Suites', 'Components', 'Enabled'])) {
    if (!/\bdeb\b/.test(p.Types ?? '') || /^no$/i.test(p.Enabled ?? '')) continue;
    for (const uri of (p.URIs ?? '').split(/\s+/).filter(Boolean)) {
      for (const suite of (p.Suites ?? '').split(/\s+/).filter(Boolean)) {
        if (suite.endsWith('/')) continue;
        out.push({ uri: uri.replace(/\/$/, ''), suite, components: (p.Components ?? '').split(/\s+/).filter(Boolean) });
      }
    }
  }
  return out;
}

/** URL of a Packages index (without compression suffix). */
export function packagesIndexUrl(source: AptSource, component: string, arch: string): string {
  return `${source.uri}/dists/${source.suite}/${component}/binary-${arch}/Packages`;
}

export function releaseFileUrl(source: AptSource): string {
  return `${source.uri}/dists/${source.suite}/InRelease`;
}
