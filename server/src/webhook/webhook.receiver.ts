import type http from 'node:http';
import { receiveWebhook, tooLarge, WEBHOOK_PATH, type WebhookDeps } from './webhook.routes.js';

/**
 * The webhook POST without Express: Meta's traffic is this one route, at up to thousands of requests
 * a second, and Express's request and response machinery costs more CPU than checking and storing the
 * body. Returns false (Express handles the request) for anything else, including compressed bodies,
 * which the Express route inflates within the size limit.
 */
export function leanWebhookReceiver(deps: WebhookDeps): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const max = deps.config.webhook.maxBodyBytes;
  const reply = (res: http.ServerResponse, status: number, json: object, close = false) => {
    const text = JSON.stringify(json);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(text);
  };
  const refuseTooLarge = (req: http.IncomingMessage, res: http.ServerResponse) => {
    deps.metrics.webhookRejected.inc({ reason: 'too_large' });
    reply(res, 413, tooLarge(deps.config), true);
    res.once('finish', () => req.destroy()); // don't read the rest
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if ((q < 0 ? url : url.slice(0, q)) !== WEBHOOK_PATH) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    if (Number(req.headers['content-length']) > max) {
      refuseTooLarge(req, res);
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > max) {
        refused = true;
        chunks.length = 0;
        refuseTooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined); // a client that went away: nothing was stored
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      receiveWebhook(deps, body, (h) => {
        const v = req.headers[h];
        return Array.isArray(v) ? v.join(', ') : v;
      }).then(
        (answer) => reply(res, answer.status, answer.json),
        (err: Error) => {
          deps.log.error({ err: err.message }, 'webhook receiver failed');
          if (!res.headersSent) reply(res, 500, { error: 'internal error' });
        },
      );
    });
    return true;
  };
}
