import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { safeEqual } from '../http/auth.js';
import { verifySignature } from './webhook.signature.js';
import type { StoreEvent } from './webhook.store.js';

const KEPT_HEADERS = ['x-hub-signature-256', 'content-type', 'user-agent', 'content-length'];

/** What receiving a webhook needs. */
export interface WebhookDeps {
  config: Config;
  /** Shared by every route that receives webhooks, so events arriving together are stored together. */
  store: StoreEvent;
  /** Asks the processor (ingest/) to look for new events. */
  inbox: { kick(): void };
  metrics: Metrics;
  log: Logger;
}

export { WEBHOOK_PATH } from './webhook.path.js';

/**
 * One webhook POST body: verified over the raw bytes, stored (with others that arrive meanwhile), then acknowledged
 * (the answer to send). Processing happens later in the InboxProcessor.
 */
export async function receiveWebhook(deps: WebhookDeps, body: Buffer, header: (name: string) => string | undefined): Promise<{ status: number; json: object }> {
  const { config, store, inbox, metrics, log } = deps;
  if (!verifySignature(body, header('x-hub-signature-256'), config.whatsapp.appSecret)) {
    metrics.webhookRejected.inc({ reason: 'signature' });
    return { status: 401, json: { error: 'missing or invalid X-Hub-Signature-256' } };
  }
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = header(h);
    if (v) headers[h] = v;
  }
  try {
    await store({ body, headers });
  } catch (err) {
    metrics.webhookRejected.inc({ reason: 'storage' });
    log.error({ err: (err as Error).message }, 'webhook not stored; Meta will retry');
    return { status: 503, json: { error: 'could not store the event; retry later' } };
  }
  metrics.webhookReceived.inc();
  setImmediate(() => inbox.kick()); // after the answer is on its way
  return { status: 200, json: { ok: true } };
}

/** The answer to a body over WEBHOOK_MAX_BODY_BYTES. */
export const tooLarge = (config: Config) => ({ error: `body larger than ${config.webhook.maxBodyBytes} bytes` });

/**
 * Meta's webhook on Express: the GET handshake, and POSTs that the lean receiver (webhook.receiver.ts)
 * leaves to Express.
 */
export function webhookRouter(deps: WebhookDeps) {
  const { config, metrics } = deps;
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

  // Reached only by requests the lean receiver leaves to Express (compressed bodies).
  router.post(
    '/webhook',
    express.raw({ type: () => true, limit: config.webhook.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await receiveWebhook(deps, body, (h) => req.header(h));
      res.status(answer.status).json(answer.json);
    },
  );

  router.use((err: any, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') {
      metrics.webhookRejected.inc({ reason: 'too_large' });
      res.status(413).json(tooLarge(config));
    } else if (err?.status && err.status < 500) {
      metrics.webhookRejected.inc({ reason: 'bad_request' });
      res.status(err.status).json({ error: err.message });
    } else next(err);
  });
  return router;
}
