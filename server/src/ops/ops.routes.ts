import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import type { Services } from '../context.js';
import { authenticate, authorize, refused } from '../http/auth.js';
import { Agent } from '../identity/agent.entity.js';
import { can, Role, Scope } from '../identity/principal.js';
import type { Metrics } from '../metrics.js';
import { checkHealth } from './ops.resolver.js';

/**
 * `GET /api/whatsapp/health`: anyone may ask whether the process and its database are up; the
 * details need READ. `GET /metrics`: Prometheus text for a caller with METRICS.
 */
export function opsRouter(opts: { services: Services; orm: MikroORM; metrics: Metrics }) {
  const { services, orm, metrics } = opts;
  const router = express.Router();
  router.get('/api/whatsapp/health', async (req, res) => {
    const principal = req.headers.authorization === undefined ? null : await authenticate(services.auth, req.headers.authorization).catch(() => undefined);
    if (principal === undefined) return void res.status(401).json({ error: 'a valid bearer token is required' });
    if (!principal || !can(principal, Scope.READ)) {
      const up = await databaseUp(orm);
      return void res.status(up ? 200 : 503).json({ status: up ? 'up' : 'down' });
    }
    const health = await checkHealth(services);
    res.status(health.database === 'up' ? 200 : 503).json({
      status: health.status, database: health.database, whatsapp: health.whatsapp, version: health.version, uptimeSeconds: health.uptimeSeconds,
      webhookBacklog: health.webhookBacklog, failedWebhookEvents: health.failedWebhookEvents,
    });
  });
  router.get('/metrics', async (req, res) => {
    const caller = await authorize(services.auth, req.headers.authorization, Scope.METRICS);
    if (refused(caller)) return void res.status(caller.status).set(caller.status === 401 ? { 'www-authenticate': 'Bearer' } : {}).json({ error: caller.error });
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** The demo's own admin, who the demo pages are signed in as. */
const DEMO_ADMIN = { externalId: 'demo-admin', name: 'Demo admin', role: Role.ADMIN } as const;

/** A new session of the demo's admin (created on first use), for a demo page. */
export async function demoSession(services: Services): Promise<string> {
  const agent = await services.orm.em.fork().getRepository(Agent).upsertProfile(DEMO_ADMIN, Role.ADMIN);
  return (await services.auth.issueSession(agent)).token;
}

/** Whether the database answers a trivial query within a few seconds. */
async function databaseUp(orm: MikroORM): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 3000)));
  try {
    return await Promise.race([orm.checkConnection().then((c) => c.ok, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
