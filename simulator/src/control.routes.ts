import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { SimulatorCore } from './core.js';
import type { ControlGuard, FailureSpec, FlowCompletion, InboundInput, SimTemplateStatus } from './types.js';

/**
 * Test and CLI controls under `/_simulator`: inject inbound messages, script failures and
 * latency, read recordings, post raw webhooks. Open on a standalone simulator; behind `guard`, which
 * runs before a body is read, where another app mounts it.
 */
export function controlRouter(core: SimulatorCore, guard?: ControlGuard): Router {
  const r = Router();
  if (guard) {
    r.use((req, res, next) => {
      guard(req).then(
        (refusal) => {
          if (!refusal) return next();
          // The body is never read: close the connection rather than drain what the caller still sends.
          res.set('connection', 'close');
          if (refusal.status === 401) res.set('www-authenticate', 'Bearer');
          res.status(refusal.status).json({ error: refusal.error });
        },
        next,
      );
    });
  }
  r.use(express.json({ limit: '10mb', type: () => true }));
  const body = (req: Request): Record<string, unknown> =>
    typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};

  r.post('/inbound', async (req, res) => {
    const { waMessageId, webhookStatus } = await core.injectInbound(body(req) as InboundInput);
    res.json({ waMessageId, webhookStatus });
  });
  r.post('/flows/complete', async (req, res) => {
    const { waMessageId, webhookStatus } = await core.completeFlow(body(req) as unknown as FlowCompletion);
    res.json({ waMessageId, webhookStatus });
  });
  r.post('/webhook', async (req, res) => {
    res.json(await core.postWebhook(body(req)));
  });
  r.post('/webhook-url', (req, res) => {
    const url = body(req).url;
    if (typeof url !== 'string') return void res.status(400).json({ error: '`url` is required' });
    core.setWebhookUrl(url);
    res.json({ ok: true });
  });
  r.post('/failures', (req, res) => {
    const spec = body(req) as unknown as FailureSpec;
    if (typeof spec.code !== 'number') return void res.status(400).json({ error: '`code` (number) is required' });
    core.failNext(spec);
    res.json({ ok: true });
  });
  r.post('/drops', (req, res) => {
    const count = body(req).count;
    core.dropNext(typeof count === 'number' ? count : 1);
    res.json({ ok: true });
  });
  r.post('/ambiguous', (req, res) => {
    const { mode, count, statuses } = body(req);
    if (mode !== 'bad-gateway' && mode !== 'hang' && mode !== 'no-id') return void res.status(400).json({ error: '`mode` is bad-gateway, hang or no-id' });
    core.acceptThenFailNext({ mode, count: typeof count === 'number' ? count : 1, statuses: statuses === true });
    res.json({ ok: true });
  });
  r.post('/latency', (req, res) => {
    const ms = Number(body(req).ms);
    if (!Number.isFinite(ms)) return void res.status(400).json({ error: '`ms` (number) is required' });
    core.setLatency(ms);
    res.json({ ok: true });
  });
  r.post('/media-failures', (req, res) => {
    const { count, mode } = body(req);
    if (mode !== undefined && mode !== 'error' && mode !== 'corrupt') return void res.status(400).json({ error: '`mode` is error or corrupt' });
    core.failMediaDownloads(typeof count === 'number' ? count : 1, mode);
    res.json({ ok: true });
  });
  r.post('/template-status', async (req, res) => {
    const { name, language, status, reason } = body(req);
    if (typeof name !== 'string' || typeof language !== 'string' || typeof status !== 'string') {
      return void res.status(400).json({ error: '`name`, `language` and `status` are required' });
    }
    res.json(await core.setTemplateStatus(name, language, status as SimTemplateStatus, typeof reason === 'string' ? reason : undefined));
  });
  r.get('/requests', (_req, res) => void res.json(core.requests));
  r.get('/sent', (_req, res) => void res.json(core.sent));
  r.post('/reset', (_req, res) => {
    core.reset();
    res.json({ ok: true });
  });
  r.use((_req: Request, res: Response) => void res.status(404).json({ error: 'unknown simulator control route' }));
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const message = err instanceof Error ? err.message : String(err);
    const status = (err as { status?: unknown }).status;
    res.status(typeof status === 'number' ? status : 500).json({ error: message });
  });
  return r;
}
