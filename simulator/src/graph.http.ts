import type { NextFunction, Request, Response } from 'express';
import type { SimulatorCore } from './core.js';
import { metaError, MetaError, type MetaErrorReply } from './meta-errors.js';
import { multipartBoundary, parseMultipart, type FormPart } from './multipart.js';
import type { RecordedRequest } from './types.js';

/** Per-request state the Graph middleware leaves in `res.locals`. */
export interface GraphLocals {
  rec: RecordedRequest;
  /** Decoded body: JSON value, raw text, or undefined. */
  body: unknown;
  /** Parts of a multipart body. */
  parts?: FormPart[];
  /** Absolute URL of the simulator's mount point, e.g. `http://127.0.0.1:4000/simulator`. */
  base: string;
}

/** Typed access to {@link GraphLocals}. */
export function locals(res: Response): GraphLocals {
  return res.locals as GraphLocals;
}

/** Answers JSON and stamps the status on the recorded request. */
export function reply(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  locals(res).rec.status = status;
  res.status(status).set(headers).json(body);
}

/** Answers a Meta error. */
export function replyError(res: Response, e: MetaErrorReply): void {
  reply(res, e.status, e.body, e.headers);
}

/** Graph API version path segment, e.g. `v25.0`. */
export const isVersion = (s: string): boolean => /^v\d+\.\d+$/.test(s);

/** Decodes the body, records the request, then applies latency and bearer auth. */
export function graphMiddleware(core: SimulatorCore) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const l = res.locals as Partial<GraphLocals>;
    l.base = `${req.protocol}://${req.get('host')}${req.baseUrl}`;
    decodeBody(req, l);
    l.rec = {
      method: req.method,
      path: req.url,
      headers: { ...req.headers },
      body: l.parts ? summarizeParts(l.parts) : l.body,
      at: Date.now(),
      status: 0,
    };
    core.requests.push(l.rec);
    res.on('finish', () => { if (l.rec) l.rec.status ||= res.statusCode; });
    if (core.latencyMs > 0) await new Promise((r) => setTimeout(r, core.latencyMs));
    const token = core.opts.accessToken;
    if (token !== undefined && req.get('authorization') !== `Bearer ${token}`) {
      replyError(res, metaError(190, 'Invalid OAuth access token - Cannot parse access token', {
        message: 'Invalid OAuth access token - Cannot parse access token',
      }));
      return;
    }
    next();
  };
}

function decodeBody(req: Request, l: Partial<GraphLocals>): void {
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw)) {
    l.body = raw;
    return;
  }
  if (raw.length === 0) return;
  const contentType = req.get('content-type');
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    try {
      l.parts = parseMultipart(raw, boundary);
    } catch {
      l.body = '<malformed multipart body>';
    }
    return;
  }
  const text = raw.toString('utf8');
  if (/urlencoded/i.test(contentType ?? '')) {
    l.body = Object.fromEntries(new URLSearchParams(text));
    return;
  }
  try {
    l.body = JSON.parse(text);
  } catch {
    l.body = text;
  }
}

function summarizeParts(parts: FormPart[]): Record<string, unknown> {
  return Object.fromEntries(
    parts.map((p) => [
      p.name,
      p.filename !== undefined
        ? { filename: p.filename, contentType: p.contentType, size: p.data.length }
        : p.data.toString('utf8'),
    ]),
  );
}

/** Answers unmatched Graph paths with Meta's 404. */
export function notFound(req: Request, res: Response): void {
  replyError(res, metaError(100, `Unknown path components: ${req.path}`, {
    status: 404,
    type: 'GraphMethodException',
    message: `Unsupported ${req.method.toLowerCase()} request. Unknown path components: ${req.path}`,
  }));
}

/** Turns thrown errors into Meta error answers; never leaks an HTML page. */
export function graphErrorHandler(core: SimulatorCore) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (!res.locals.rec) res.locals.rec = { status: 0 };
    if (err instanceof MetaError) return replyError(res, err.reply);
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      return replyError(res, metaError(131053, 'Request body exceeds the maximum media size', { status: 413 }));
    }
    core.log(`graph handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    replyError(res, metaError(1, 'An unknown error occurred'));
  };
}
