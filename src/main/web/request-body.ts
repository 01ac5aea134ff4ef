import type { IncomingMessage } from 'node:http';
import { declaredLength } from './request-guards';

/**
 * The whole body, or null when it is larger than `limit` bytes (then it is not read further). A declared
 * Content-Length over the limit is refused before a byte is read.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = declaredLength(request);
  if (declared !== null && declared > limit) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
