// JSON.stringify of a string, without its cost for the common string that needs no escape.

/** Characters JSON.stringify escapes in a string: controls, quote, backslash, (lone) surrogates. */
const escaped = /[\u0000-\u001f"\\\ud800-\udfff]/;

export function quote(text: string): string {
  return escaped.test(text) ? JSON.stringify(text) : `"${text}"`;
}
