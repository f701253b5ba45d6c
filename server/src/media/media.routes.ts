import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { authorize, refused, type CredentialCheck } from '../http/auth.js';
import { Scope, type Principal } from '../identity/principal.js';
import { WhatsAppApiError, type WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { UPLOAD_LIMITS } from '../whatsapp/whatsapp.limits.js';
import { Media, MediaDownloadStatus } from './media.entity.js';
import { MAX_MEDIA_BYTES, mediaDir } from './media.store.js';
import { MediaUrls } from './media.url.js';

const MB = 1024 * 1024;


/** Served inline; anything else downloads as an attachment, so a stored file never runs as a page of ours. */
const INLINE = /^(image\/(jpeg|png|webp)|video\/|audio\/)/i;

/**
 * `GET /api/media/:messageId`: the downloaded file of a media message (404 until downloaded).
 * `POST /api/media`: uploads a file to Meta and answers `{ id }` (Meta's media id, for sends), either
 * multipart (`file`, optional `type`) or the raw bytes with their Content-Type (`?filename=` optional).
 * Both take `Authorization: Bearer <token>`; GET also takes the short-lived signed URL of
 * `MessageMedia.url` (`?exp=…&sig=…`), which is what `<img src>` uses. A token in the URL
 * (`?token=`) is refused: URLs end up in logs, histories and Referer headers.
 */
export function mediaRouter(deps: { config: Config; orm: MikroORM; whatsapp: WhatsAppClient; auth: CredentialCheck<Principal>; log: Logger }): Router {
  const { config, orm, whatsapp, auth, log } = deps;
  const dir = mediaDir(config.dataDir);
  const urls = new MediaUrls(config.session.secrets);
  const r = Router();
  const fail = (res: Response, status: number, error: string) => void res.status(status).json({ error });
  /** Answers 401 or 403 and false unless the caller may do what `scope` stands for. */
  const allowed = async (res: Response, header: unknown, scope: Scope): Promise<boolean> => {
    const caller = await authorize(auth, header, scope);
    if (refused(caller)) fail(res, caller.status, caller.error);
    return !refused(caller);
  };

  r.get('/api/media/:messageId', async (req, res) => {
    const id = req.params.messageId;
    const { exp, sig } = req.query;
    if (req.query.token !== undefined) return fail(res, 401, 'tokens in URLs are not accepted: use the signed URL of MessageMedia.url, or send Authorization: Bearer <token>');
    const header = req.header('authorization');
    if (header !== undefined || (exp === undefined && sig === undefined)) {
      if (!(await allowed(res, header, Scope.READ))) return;
    } else {
      const check = urls.verify(id, exp, sig);
      if (!check.ok) {
        return fail(res, 401, check.reason === 'expired'
          ? `this media URL expired at ${check.expiredAt!.toISOString()}: ask for the message again for a fresh one (MessageMedia.url)`
          : 'this media URL is not validly signed: use MessageMedia.url as the API gave it');
      }
    }
    const m = /^\d{1,18}$/.test(id) ? await orm.em.fork().getRepository(Media).ofMessage(id) : null;
    if (!m) return fail(res, 404, 'no media for this message');
    if (m.status !== MediaDownloadStatus.DOWNLOADED || !m.path) return fail(res, 404, m.status === MediaDownloadStatus.FAILED ? 'the download failed' : 'not downloaded yet');
    const type = String(m.mimeType ?? 'application/octet-stream');
    const name = String(m.filename ?? m.path);
    const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    // Relative to `root`: send refuses any path with a dot-folder in it otherwise, and the default DATA_DIR is ./.data.
    res.sendFile(path.basename(m.path), {
      root: dir,
      headers: {
        'content-type': type,
        'content-disposition': `${INLINE.test(type) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=86400',
      },
    }, (err) => {
      if (err && !res.headersSent) fail(res, 404, 'the file is missing');
    });
  });

  r.post('/api/media', async (req, res, next) => {
    if (await allowed(res, req.header('authorization'), Scope.SEND)) next();
  }, express.raw({ type: () => true, limit: MAX_MEDIA_BYTES + MB }), async (req, res) => {
    const contentType = req.header('content-type') ?? '';
    let bytes: Uint8Array;
    let mimeType: string;
    let filename: string | undefined;
    if (/^multipart\/form-data/i.test(contentType)) {
      let form: FormData;
      try {
        form = await new Response(req.body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
      } catch {
        return fail(res, 400, 'unreadable multipart body');
      }
      const file = form.get('file');
      if (!(file instanceof Blob)) return fail(res, 400, 'the multipart body needs a `file` part');
      bytes = new Uint8Array(await file.arrayBuffer());
      const type = form.get('type');
      mimeType = typeof type === 'string' && type ? type : file.type;
      filename = 'name' in file && typeof file.name === 'string' ? file.name : undefined;
    } else {
      bytes = Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
      mimeType = contentType;
      filename = typeof req.query.filename === 'string' ? req.query.filename : undefined;
    }
    mimeType = mimeType.split(';')[0]!.trim().toLowerCase();
    const limit = UPLOAD_LIMITS[mimeType];
    if (limit === undefined) return fail(res, 415, `WhatsApp does not take ${mimeType || 'files without a type'}; supported: ${Object.keys(UPLOAD_LIMITS).join(', ')}`);
    if (bytes.length === 0) return fail(res, 400, 'the file is empty');
    if (bytes.length > limit) return fail(res, 413, `${mimeType} files may be at most ${limit} bytes; this one is ${bytes.length}`);
    try {
      const id = await whatsapp.uploadMedia({ bytes, mimeType, filename });
      res.json({ id, mimeType, size: bytes.length });
    } catch (err) {
      if (!(err instanceof WhatsAppApiError)) throw err;
      log.warn({ err: err.message, code: err.code }, 'media upload failed');
      res.status(502).json({ error: err.message, code: err.code });
    }
  });

  r.use('/api/media', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return fail(res, 413, `files may be at most ${MAX_MEDIA_BYTES} bytes`);
    next(err);
  });
  return r;
}
