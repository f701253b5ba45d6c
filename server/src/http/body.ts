import type http from 'node:http';

/**
 * The two routes that skip Express (webhook.receiver.ts, graphql.receiver.ts) share how they pick
 * their requests and read their bodies.
 */

/** The query part (`''` or `'?…'`) of a POST to exactly `path` with an uncompressed body; null for any other request. */
export function plainPost(req: http.IncomingMessage, path: string): string | null {
  if (req.method !== 'POST') return null;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if ((q < 0 ? url : url.slice(0, q)) !== path) return null;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return null;
  return q < 0 ? '' : url.slice(q);
}

/**
 * Reads a request's body of at most `max` bytes, then calls `done`. A larger one (by its
 * Content-Length, before anything is read, or as its bytes arrive) calls `tooLarge` instead, once,
 * which answers; the rest is not read, and the connection is closed once that answer is sent.
 */
export function readBody(req: http.IncomingMessage, res: http.ServerResponse, max: number, tooLarge: () => void, done: (body: Buffer) => void): void {
  const refuse = () => {
    tooLarge();
    res.once('finish', () => req.destroy());
  };
  if (Number(req.headers['content-length']) > max) return refuse();
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > max) {
      refused = true;
      chunks.length = 0;
      refuse();
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => undefined); // a client that went away: nothing more happens
  req.on('end', () => {
    if (!refused) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}
