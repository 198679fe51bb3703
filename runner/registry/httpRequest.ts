// One HTTP(S) request with Node's http/https modules: raw bytes (no transparent decompression),
// streaming bodies both ways, and no redirect following (the registry client decides per hop).
import * as http from 'http';
import * as https from 'https';
import { Readable } from 'stream';
import { deferredCaCertificates } from './extraCaCertificates';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Skip TLS certificate verification (explicitly insecure registries only). */
  insecureTls?: boolean;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  url: URL;
}

export class HttpError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const isHttps = req.url.protocol === 'https:';
  if (!isHttps && req.url.protocol !== 'http:') return Promise.reject(new HttpError(`unsupported URL scheme in ${req.url.href}`));
  const headers: Record<string, string> = { 'user-agent': 'layerlens/0.1', ...req.headers };
  if (Buffer.isBuffer(req.body)) headers['content-length'] = String(req.body.length);
  return new Promise((resolve, reject) => {
    const ca = isHttps ? deferredCaCertificates() : undefined;
    const options: https.RequestOptions = {
      method: req.method,
      headers,
      timeout: req.timeoutMs ?? 60_000,
      ...(isHttps && req.insecureTls ? { rejectUnauthorized: false } : {}),
      ...(ca ? { ca } : {}),
    };
    const request = (isHttps ? https : http).request(req.url, options, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: req.url });
    });
    request.on('timeout', () => request.destroy(new HttpError(`${req.method} ${req.url.origin}: no response for ${(req.timeoutMs ?? 60_000) / 1000} s`, 'ETIMEDOUT')));
    request.on('error', (err: NodeJS.ErrnoException) => reject(new HttpError(`${req.method} ${req.url.origin}${req.url.pathname}: ${err.message}`, err.code)));
    if (req.body === undefined) request.end();
    else if (Buffer.isBuffer(req.body)) request.end(req.body);
    else {
      req.body.on('error', (err) => request.destroy(err));
      req.body.pipe(request);
    }
  });
}

/** Reads a whole response body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy();
    throw new HttpError(`${res.url.href}: response of ${declared} bytes is larger than the ${limit} allowed`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      res.body.destroy();
      throw new HttpError(`${res.url.href}: response is larger than the ${limit} bytes allowed`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Discards a response body so the connection can be reused. */
export function discard(res: HttpResponse): void {
  res.body.resume();
}
