import type http from 'node:http';
import { plainPost, readBody } from '../http/body.js';
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
  const refuseTooLarge = (res: http.ServerResponse) => {
    deps.metrics.webhookRejected.inc({ reason: 'too_large' });
    reply(res, 413, tooLarge(deps.config), true);
  };

  return (req, res) => {
    if (plainPost(req, WEBHOOK_PATH) === null) return false;
    // A client that goes away mid-body: nothing was stored.
    readBody(req, res, max, () => refuseTooLarge(res), (body) => {
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
