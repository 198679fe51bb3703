// Results kept encoded between requests. A handler that answers the same (unchanged) result object
// again and again, such as the outline of a 30,000-line file (3.8 MB of JSON), marks it; the stream
// writer then encodes it once and splices those bytes into every response that carries it, instead
// of stringifying it per request. Over IPC Node serializes messages itself: nothing is kept there.
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

function jsonOf(result: object): Buffer {
  return Buffer.from(JSON.stringify(result), 'utf-8');
}

/** The one instance of the server process, shared by its writer and its features. */
export const sharedEncodedResults = new EncodedResults();
