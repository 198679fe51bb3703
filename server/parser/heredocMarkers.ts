// Finding heredoc markers (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`) on an instruction line, the
// way BuildKit does: shell-split the whole line (raw quotes and escapes, escape always `\`),
// then match each word against `^(\d*)<<(-?)([^<]*)$`.
import { emptyEnv, processWord } from './shell/lexer';

export interface HeredocMarker {
  name: string;
  fileDescriptor: number;
  chomp: boolean;
  expand: boolean;
  /** Offsets of the marker word in the line. */
  start: number;
  end: number;
}

const markerPattern = /^(\d*)<<(-?)([^<]*)$/;

export type MarkerParse = { marker?: Omit<HeredocMarker, 'start' | 'end'>; error?: string };

/** BuildKit's ParseHeredoc: is `word` a heredoc marker? */
export function parseHeredocMarker(word: string): MarkerParse {
  const m = markerPattern.exec(word);
  if (!m || m[3].length === 0) return {};
  const rest = m[3];
  const plain = processWord(rest, emptyEnv, { skipUnsetEnv: true });
  if (plain.error) return { error: plain.error };
  if (plain.words.length !== 1) return {};
  const raw = processWord(rest, emptyEnv, { skipUnsetEnv: true, rawQuotes: true });
  if (raw.error) return { error: raw.error };
  const quotes = (s: string) => s.split(/['"]/).length - 1;
  return {
    marker: {
      name: plain.words[0],
      fileDescriptor: m[1] === '' ? 0 : Number.parseInt(m[1], 10),
      chomp: m[2] === '-',
      expand: quotes(plain.words[0]) === quotes(raw.words[0]),
    },
  };
}

/** All heredoc markers of a logical line `text.slice(start, end)`, in order. */
export function findHeredocMarkers(text: string, start: number, end: number): { markers: HeredocMarker[]; error?: { message: string; start: number; end: number } } {
  const line = text.slice(start, end);
  const markers: HeredocMarker[] = [];
  if (!line.includes('<<')) return { markers };
  if (!/["'\\$]/.test(line)) return { markers: plainMarkers(line, start) };
  const words = processWord(line, emptyEnv, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  let cursor = 0;
  for (const word of words) {
    const found = line.indexOf(word, cursor);
    const at = found < 0 ? cursor : found;
    if (found >= 0) cursor = found + word.length;
    if (!word.includes('<<')) continue;
    const parsed = parseHeredocMarker(word);
    if (parsed.error) return { markers, error: { message: parsed.error, start: start + at, end: start + at + word.length } };
    if (parsed.marker) markers.push({ ...parsed.marker, start: start + at, end: start + at + word.length });
  }
  return { markers };
}

/** Without quotes, escapes or variables, shell splitting is splitting on blanks. */
function plainMarkers(line: string, base: number): HeredocMarker[] {
  const markers: HeredocMarker[] = [];
  const word = /\S+/g;
  for (let m = word.exec(line); m; m = word.exec(line)) {
    if (!m[0].includes('<<')) continue;
    const parts = markerPattern.exec(m[0]);
    if (!parts || parts[3].length === 0) continue;
    markers.push({
      name: parts[3],
      fileDescriptor: parts[1] === '' ? 0 : Number.parseInt(parts[1], 10),
      chomp: parts[2] === '-',
      expand: true,
      start: base + m.index,
      end: base + m.index + m[0].length,
    });
  }
  return markers;
}
