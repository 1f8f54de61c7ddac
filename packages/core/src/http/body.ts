import type { IncomingMessage } from 'node:http';
import { UssdError } from '../errors.js';

/** Largest gateway request read by default: real callbacks are a few hundred bytes. */
export const defaultBodyLimit = 16 * 1024;

/**
 * A raw gateway body as the codecs want it: JSON bodies parsed, anything else (a form) left as text for the codec
 * to read. Text that claims to be JSON but is not stays text, so the codec names what is wrong with it.
 */
export function decodeGatewayBody(raw: string | Uint8Array, contentType: string | null | undefined): unknown {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType?.trim() ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const tooLarge = (limit: number) =>
  new UssdError('INVALID_REQUEST', `request body is larger than ${limit} bytes`, { status: 413 });

/**
 * Reads a Node request body no framework parser has read, up to `limit` bytes. Past the limit it stops keeping the
 * bytes but lets the rest drain, so the client still receives the 413 instead of a reset connection.
 */
export function readNodeBody(req: IncomingMessage, limit = defaultBodyLimit): Promise<string> {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve('');
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume();
      reject(tooLarge(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
