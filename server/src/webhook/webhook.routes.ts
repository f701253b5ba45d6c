import express, { type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { InboxProcessor } from '../inbox/inbox.processor.js';
import type { Metrics } from '../ops/metrics.js';
import { safeEqual, verifySignature } from './webhook.signature.js';

const KEPT_HEADERS = ['x-hub-signature-256', 'content-type', 'user-agent', 'content-length'];

/**
 * Meta's webhook: GET handshake; POST verified over the raw bytes, stored with one insert, then
 * acknowledged. Processing happens later in the InboxProcessor.
 */
export function webhookRouter(deps: { config: Config; pool: pg.Pool; inbox: InboxProcessor; metrics: Metrics; log: Logger }) {
  const { config, pool, inbox, metrics, log } = deps;
  const router = express.Router();

  router.get('/webhook', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && typeof challenge === 'string' && safeEqual(token, config.whatsapp.verifyToken)) {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    res.status(403).type('text/plain').send('verification failed');
  });

  router.post(
    '/webhook',
    express.raw({ type: () => true, limit: config.webhook.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifySignature(body, req.header('x-hub-signature-256'), config.whatsapp.appSecret)) {
        metrics.webhookRejected.inc({ reason: 'signature' });
        res.status(401).json({ error: 'missing or invalid X-Hub-Signature-256' });
        return;
      }
      const headers: Record<string, string> = {};
      for (const h of KEPT_HEADERS) {
        const v = req.header(h);
        if (v) headers[h] = v;
      }
      try {
        await pool.query(`insert into webhook_event (body, headers) values ($1, $2)`, [body, headers]);
      } catch (err) {
        metrics.webhookRejected.inc({ reason: 'storage' });
        log.error({ err: (err as Error).message }, 'webhook not stored; Meta will retry');
        res.status(503).json({ error: 'could not store the event; retry later' });
        return;
      }
      metrics.webhookReceived.inc();
      res.status(200).json({ ok: true });
      inbox.kick();
    },
  );

  router.use((err: any, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') {
      metrics.webhookRejected.inc({ reason: 'too_large' });
      res.status(413).json({ error: `body larger than ${config.webhook.maxBodyBytes} bytes` });
    } else if (err?.status && err.status < 500) {
      metrics.webhookRejected.inc({ reason: 'bad_request' });
      res.status(err.status).json({ error: err.message });
    } else next(err);
  });
  return router;
}
