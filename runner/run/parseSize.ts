// Sizes as Docker takes them: 1024, 512k, 64m, 1.5g (binary units, optional trailing b).
import { ContainerError } from './containerError';

const units: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseSize(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new ContainerError(`${what}: '${text}' is not a size (like 512m or 1g)`, 2);
  const bytes = Math.floor(Number(m[1]) * units[m[2].toLowerCase()]);
  if (bytes <= 0) throw new ContainerError(`${what}: '${text}' must be more than 0`, 2);
  return bytes;
}
