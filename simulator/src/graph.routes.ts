import express, { type Request, type Response, type NextFunction, Router } from 'express';
import type { SimulatorCore } from './core.js';
import { fail } from './meta-errors.js';
import { graphErrorHandler, graphMiddleware, isVersion, locals, notFound, reply } from './graph.http.js';
import { validateSend } from './send.validation.js';
import { decodeCursor, encodeCursor } from './templates.js';
import { templateManageRoutes } from './templates.manage.js';

const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** Meta's Graph API surface: messages, media, media download, templates. */
export function graphRouter(core: SimulatorCore): Router {
  const r = Router();
  r.use(express.raw({ type: () => true, limit: '110mb' }));
  r.use(graphMiddleware(core));

  r.post('/:version/:phoneNumberId/messages', version, (req, res) => {
    const body = locals(res).body;
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (b.status === 'read') {
      if (b.messaging_product !== 'whatsapp') fail(131008, 'The parameter messaging_product is required.');
      if (typeof b.message_id !== 'string') fail(131008, 'The parameter message_id is required.');
      const typing = b.typing_indicator;
      if (typing !== undefined && (typeof typing !== 'object' || typing === null || (typing as { type?: unknown }).type !== 'text')) {
        fail(100, "Param typing_indicator['type'] must be one of {TEXT}.");
      }
      return reply(res, 200, { success: true });
    }
    const valid = validateSend(body, core.templates);
    if (core.takeDrop()) return void req.socket.destroy();
    const failure = core.takeFailure() ?? core.checkLimits(valid.to);
    if (failure) return reply(res, failure.status, failure.body, failure.headers);
    const ambiguous = core.takeAmbiguous();
    const id = core.accept({ ...valid, phoneNumberId: String(req.params.phoneNumberId), body: b }, !ambiguous || ambiguous.statuses === true);
    const contact = valid.toIsUserId
      ? { input: valid.to, user_id: valid.to }
      : { input: valid.to, wa_id: valid.to.replace(/\D/g, '') };
    // Taken, but answered so the sender cannot know: a gateway's 502, no answer until the client gives up, or no id.
    if (ambiguous?.mode === 'bad-gateway') {
      locals(res).rec.status = 502;
      return void res.status(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (ambiguous?.mode === 'hang') return;
    if (ambiguous?.mode === 'no-id') return reply(res, 200, { messaging_product: 'whatsapp', contacts: [contact] });
    reply(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [contact],
      messages: [{ id, message_status: 'accepted' }],
    });
  });

  r.post('/:version/:phoneNumberId/media', version, (_req, res) => {
    const parts = locals(res).parts;
    if (!parts) fail(100, 'The request must be multipart/form-data with a file part.');
    const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.data.toString('utf8');
    const product = field('messaging_product');
    if (product === undefined) fail(131008, 'The parameter messaging_product is required.');
    if (product !== 'whatsapp') fail(100, `Param messaging_product must be one of {WHATSAPP} - got "${product}".`);
    const file = parts.find((p) => p.name === 'file');
    if (!file) fail(131008, 'The parameter file is required.');
    if (file.data.length > MAX_MEDIA_BYTES) fail(131053, 'File exceeds the 100 MB media limit.');
    const mime = field('type') ?? file.contentType ?? 'application/octet-stream';
    reply(res, 200, { id: core.addMedia(file.data, mime, file.filename) });
  });

  r.get('/media-download/:token', (req, res) => {
    const media = core.resolveDownload(req.params.token);
    if (!media) fail(100, 'The media URL is unknown or has expired; request a new one via GET /{media-id}.', 404);
    const failure = core.takeDownloadFailure();
    if (failure === 'error') fail(1, 'An unknown error occurred', 500);
    let bytes = media.bytes;
    if (failure === 'corrupt') {
      bytes = Buffer.from(media.bytes);
      if (bytes.length) bytes[0] = bytes[0]! ^ 0xff;
    }
    locals(res).rec.status = 200;
    res.status(200).type(media.mimeType).set('Content-Length', String(bytes.length)).send(bytes);
  });

  r.get('/:version/:wabaId/message_templates', version, (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const limit = Math.min(Math.max(Number.parseInt(q.limit ?? '25', 10) || 25, 1), 1000);
    const all = core.templates.filter(
      (t) => (!q.status || t.status === q.status.toUpperCase()) && (!q.name || t.name.includes(q.name)),
    );
    const after = q.after ? decodeCursor(q.after) : undefined;
    const before = q.before ? decodeCursor(q.before) : undefined;
    if ((q.after && after === undefined) || (q.before && before === undefined)) fail(100, 'Invalid paging cursor.');
    const start = after !== undefined ? after + 1 : before !== undefined ? Math.max(0, before - limit) : 0;
    const end = before !== undefined && after === undefined ? before : Math.min(start + limit, all.length);
    const data = all.slice(start, end).map((t) => ({ parameter_format: 'POSITIONAL', ...t }));
    if (data.length === 0) return reply(res, 200, { data: [] });
    const pageUrl = (key: 'after' | 'before', cursor: string) => {
      const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
      url.searchParams.delete('after');
      url.searchParams.delete('before');
      url.searchParams.set('limit', String(limit));
      url.searchParams.set(key, cursor);
      return url.toString();
    };
    const cursors = { before: encodeCursor(start), after: encodeCursor(end - 1) };
    reply(res, 200, {
      data,
      paging: {
        cursors,
        ...(start > 0 ? { previous: pageUrl('before', cursors.before) } : {}),
        ...(end < all.length ? { next: pageUrl('after', cursors.after) } : {}),
      },
    });
  });

  templateManageRoutes(r, core);

  r.get('/:version/:id', version, (req, res) => {
    const id = String(req.params.id);
    const o = core.opts;
    if (id === o.phoneNumberId) {
      return reply(res, 200, {
        id, verified_name: 'Simulated Business', display_phone_number: o.displayPhoneNumber ?? '15550001111',
        quality_rating: 'GREEN', code_verification_status: 'VERIFIED', platform_type: 'CLOUD_API',
        throughput: { level: 'STANDARD' },
      });
    }
    if (id === o.wabaId) return reply(res, 200, { id, name: 'Simulated WABA', currency: 'USD', timezone_id: '1' });
    const media = core.media.get(id);
    if (!media) fail(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`);
    reply(res, 200, {
      messaging_product: 'whatsapp',
      url: `${locals(res).base}/media-download/${core.createDownloadToken(id)}`,
      mime_type: media.mimeType,
      sha256: media.sha256,
      file_size: media.bytes.length,
      id,
    });
  });

  r.delete('/:version/:id', version, (req, res) => {
    const id = String(req.params.id);
    if (!core.media.delete(id)) fail(100, `Object with ID '${id}' does not exist.`);
    reply(res, 200, { success: true });
  });

  r.use(notFound);
  r.use(graphErrorHandler(core));
  return r;
}

/** Lets a route match only when its first segment is a Graph version like `v25.0`. */
function version(req: Request, _res: Response, next: NextFunction): void {
  next(isVersion(String(req.params.version)) ? undefined : 'route');
}
