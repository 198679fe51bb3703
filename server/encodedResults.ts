// Results kept encoded between requests. A handler that answers the same (unchanged) result object
// again and again, such as the outline of a 30,000-line file (3.8 MB of JSON), marks it; the stream
// writer then encodes it once and splices those bytes into every response that carries it, instead
// of stringifying it per request. Each published diagnostic's JSON is kept the same way. Over IPC
// Node serializes messages itself: nothing is kept there.
import { Message, type ContentTypeEncoder, type ContentTypeEncoderOptions } from 'vscode-languageserver/node';

const CLOSE = Buffer.from('}');

export class EncodedResults {
  /** Marked results, with their UTF-8 JSON once encoded. Kept as long as the result object lives. */
  private readonly kept = new WeakMap<object, Buffer | null>();
  /** How to encode a marked result, when its owner does it better than JSON.stringify. */
  private readonly encoders = new WeakMap<object, () => Buffer>();
  private splicing = false;

  /**
   * The content type encoder for the server's StreamMessageWriter: application/json, with kept
   * results spliced. Until it is asked for, `keep` keeps nothing (no writer would read it).
   */
  encoderForWriter(): ContentTypeEncoder {
    this.splicing = true;
    return {
      name: 'application/json',
      encode: (message, options) => {
        try {
          return Promise.resolve(this.encode(message, options));
        } catch (err) {
          return Promise.reject(err);
        }
      },
    };
  }

  /**
   * Marks `result` as answered unchanged by later requests: its JSON is kept from its first response
   * on. The caller must not change it afterwards (a changed result is a new object). `encode`, when
   * given, must give exactly JSON.stringify(result) in UTF-8, only faster (from parts kept by the caller).
   */
  keep<T extends object>(result: T, encode?: () => Buffer): T {
    if (this.splicing && !this.kept.has(result)) {
      this.kept.set(result, null);
      if (encode) this.encoders.set(result, encode);
    }
    return result;
  }

  /** Whether `result`'s JSON is kept encoded. */
  isEncoded(result: object): boolean {
    return this.kept.get(result) instanceof Buffer;
  }

  /** The message as application/json bytes: identical to vscode-jsonrpc's own encoding. */
  encode(message: Message, options: ContentTypeEncoderOptions): Buffer {
    const publication = this.splicing && options.charset === 'utf-8' ? encodePublication(message) : undefined;
    if (publication !== undefined) return Buffer.from(publication, 'utf-8');
    const result = splicedResultOf(message, options);
    if (result === undefined || !this.kept.has(result)) return Buffer.from(JSON.stringify(message), options.charset);
    let json = this.kept.get(result);
    if (!json) {
      json = this.encoders.get(result)?.() ?? jsonOf(result);
      this.kept.set(result, json);
      this.encoders.delete(result);
    }
    const { jsonrpc, id } = message as { jsonrpc: string; id: number | string | null };
    const head = Buffer.from(`{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id)},"result":`);
    return Buffer.concat([head, json, CLOSE]);
  }
}

/** The result of a plain response (jsonrpc, id, result and nothing else) in UTF-8; else undefined. */
function splicedResultOf(message: Message, options: ContentTypeEncoderOptions): object | undefined {
  if (!Message.isResponse(message) || options.charset !== 'utf-8') return undefined;
  const result: unknown = message.result;
  if (typeof result !== 'object' || result === null) return undefined;
  const keys = Object.keys(message);
  if (keys.length !== 3 || keys[0] !== 'jsonrpc' || keys[1] !== 'id' || keys[2] !== 'result') return undefined;
  return result;
}

/**
 * The JSON of each published diagnostic, kept per diagnostic object. The diagnostics feature hands
 * a finding that did not change over as the same object (toDiagnostic), and never changes one once
 * made; a publication on the 30,000-line file carries ~2,900 of them (830 KB of JSON, 8 ms to encode).
 */
const diagnosticJson = new WeakMap<object, string>();
const HOLE = '\u0000diagnostics\u0000';
const HOLE_JSON = JSON.stringify(HOLE);

/** JSON.stringify of a publishDiagnostics notification, each diagnostic's JSON kept; undefined for any other message. */
function encodePublication(message: Message): string | undefined {
  if (!Message.isNotification(message) || message.method !== 'textDocument/publishDiagnostics') return undefined;
  const params: unknown = message.params;
  if (typeof params !== 'object' || params === null || !Array.isArray((params as { diagnostics?: unknown }).diagnostics)) return undefined;
  const diagnostics = (params as { diagnostics: unknown[] }).diagnostics;
  // The message around a hole where the list goes (its keys in their order), then the list.
  const outer = JSON.stringify({ ...message, params: { ...params, diagnostics: HOLE } });
  const at = outer.indexOf(HOLE_JSON);
  if (at < 0 || outer.indexOf(HOLE_JSON, at + 1) >= 0) return undefined;
  const items: string[] = new Array<string>(diagnostics.length);
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (typeof d !== 'object' || d === null) return undefined;
    let json = diagnosticJson.get(d);
    if (json === undefined) diagnosticJson.set(d, (json = JSON.stringify(d)));
    items[i] = json;
  }
  return `${outer.slice(0, at)}[${items.join(',')}]${outer.slice(at + HOLE_JSON.length)}`;
}

function jsonOf(result: object): Buffer {
  return Buffer.from(JSON.stringify(result), 'utf-8');
}

/** The one instance of the server process, shared by its writer and its features. */
export const sharedEncodedResults = new EncodedResults();
