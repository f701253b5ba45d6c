import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

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
    res.set({ 'content-type': type, 'content-encoding': 'gzip', vary: 'Accept-Encoding', etag: entry.etag, 'cache-control': 'no-cache' });
    if (req.headers['if-none-match'] === entry.etag) return void res.status(304).end();
    res.send(entry.body);
  };
}
