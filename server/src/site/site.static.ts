import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** The widget's chunks (web/dist/widget/, named by content hash): they never change under their name. */
const HASHED_CHUNK = /^\/widget\/[^/]+-[\w-]{8}\.js$/;

/**
 * Caching and cross-origin headers for a file of web/dist at URL path `p`. The widget's hashed
 * chunks are cached for a year; everything else (widget.js above all, which names the current
 * chunks) is revalidated on every use. A dashboard on another origin imports the chunks as ES
 * modules, which browsers fetch in CORS mode: the bundle is public and sent without credentials,
 * so any origin may read it.
 */
export function assetHeaders(p: string): Record<string, string> {
  const headers: Record<string, string> = { 'cache-control': HASHED_CHUNK.test(p) ? 'public, max-age=31536000, immutable' : 'no-cache' };
  if (p.endsWith('.js')) Object.assign(headers, { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' });
  return headers;
}

/**
 * Serves the built JS/CSS of `dir` gzipped, compressing each file once per build and revalidating by
 * ETag. Other files and clients without gzip fall through to express.static.
 */
export function gzipStatic(dir: string): RequestHandler {
  const cache = new Map<string, { key: string; body: Buffer; etag: string }>();
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.acceptsEncodings('gzip')) return next();
    const type = TYPES[path.extname(req.path)];
    const file = path.join(dir, path.normalize(decodeURIComponent(req.path)));
    if (!type || !file.startsWith(dir + path.sep)) return next();
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return next();
    }
    if (!stat.isFile()) return next();
    const key = `${stat.mtimeMs}:${stat.size}`;
    let entry = cache.get(file);
    if (entry?.key !== key) {
      entry = { key, body: gzipSync(fs.readFileSync(file), { level: 9 }), etag: `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"` };
      cache.set(file, entry);
    }
    res.set({ 'content-type': type, 'content-encoding': 'gzip', vary: 'Accept-Encoding', etag: entry.etag, ...assetHeaders(req.path) });
    if (req.headers['if-none-match'] === entry.etag) return void res.status(304).end();
    res.send(entry.body);
  };
}
