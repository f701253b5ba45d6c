import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import pg from 'pg';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { createSimulatorRouter } from '../../simulator/src/simulator.js';
import type { Config } from './config.js';
import type { Context, Services } from './context.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { initOrm } from './db/orm.js';
import { holdStartupLock } from './db/startup.lock.js';
import { entities, repositories } from './entities.js';
import { Agent } from './identity/agent.entity.js';
import { ApiKey } from './identity/api-key.entity.js';
import { Authenticator } from './identity/authenticator.js';
import { AuditEntry } from './audit/audit-entry.entity.js';
import { AuditLog } from './audit/audit.log.js';
import { Scope } from './identity/principal.js';
import { connectionCaps, limitBufferedBytes } from './graphql/backpressure.js';
import { GRAPHQL_PATH, leanGraphqlReceiver } from './graphql/graphql.receiver.js';
import { CSRF_PREVENTION, formatError, graphqlContext, graphqlHttp, graphqlLimits, graphqlWs } from './graphql/transport.js';
import { InboxProcessor } from './ingest/inbox.processor.js';
import { MediaService } from './media/media.service.js';
import { mediaRouter } from './media/media.routes.js';
import { compactCountersEvery } from './search/counters.js';
import { createMetrics } from './metrics.js';
import { createLogger } from './logger.js';
import { OutboundQueue } from './outbound/outbound.queue.js';
import { checkHealth } from './ops/ops.resolver.js';
import { eventContact } from './contacts/contact.resolver.js';
import { roundRobin } from './contacts/assignment.service.js';
import { eventMessage } from './messages/message.resolver.js';
import { PgPubSub } from './pubsub/pg.pubsub.js';
import { PresenceRegistry } from './presence/presence.registry.js';
import { createSchema } from './schema.js';
import { TemplateService } from './templates/template.service.js';
import { siteRouter } from './site/site.routes.js';
import { leanWebhookReceiver } from './webhook/webhook.receiver.js';
import { webhookRouter } from './webhook/webhook.routes.js';
import { webhookStore } from './webhook/webhook.store.js';
import { pruneWebhookEventsEvery } from './webhook/webhook.retention.js';
import { WebhookEvent } from './webhook/webhook-event.entity.js';
import { WhatsAppClient } from './whatsapp/whatsapp.client.js';
import { Db } from './db/db.js';
import { crossOrigin } from './http/cors.js';
import { authorize, refused } from './http/auth.js';
import { demoSession, opsRouter } from './ops/ops.routes.js';

/** The folder with package.json and web/dist: two up from server/src under tsx, three from dist/server/src. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${from}`);
  }
}
const root = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

/** A running inbox: its HTTP server, URL and services, and how to stop it. */
export interface App {
  httpServer: http.Server;
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  services: Services;
  orm: MikroORM;
  /** Graceful stop: no new requests, in-flight events finished, websockets closed, database stopped. */
  close(): Promise<void>;
}

/** Wires database, inbox, GraphQL (HTTP + graphql-ws), webhook and ops routes, and listens on `config.port`. */
export async function createApp(config: Config, opts: { log?: Logger } = {}): Promise<App> {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), log: (l) => log.debug({ pg: l }) });
    // The URL carries the database's password: only the folder and port are logged.
    databaseUrl = embedded.url;
    log.info({ dir: path.join(config.dataDir, 'pg'), port: embedded.port }, 'embedded PostgreSQL started');
  }
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    // Migrations and pg-boss's setup, one process at a time (replicas started together).
    const releaseStartup = await holdStartupLock(databaseUrl);
    cleanup.push(releaseStartup);
    const orm = await initOrm(databaseUrl, entities);
    cleanup.push(() => orm.close());
    const pool = Db.of(orm.em);
    const repos = repositories(orm.em.fork());
    const auth = new Authenticator({
      bootstrap: config.bearerTokens, sessionSecrets: config.session.secrets, sessionTtlSeconds: config.session.ttlSeconds,
      agents: orm.em.fork().getRepository(Agent), apiKeys: orm.em.fork().getRepository(ApiKey), log,
    });
    const pubsub = new PgPubSub(databaseUrl, pool, log);
    cleanup.push(() => pubsub.close());
    await pubsub.ready;
    const presence = new PresenceRegistry({ pubsub, pool, log });
    cleanup.unshift(() => presence.close());
    const metrics = createMetrics({ messageCounts: () => repos.messages.countByStatus(), webhookBacklog: () => repos.webhookEvents.backlog() });

    const app = express();
    app.disable('x-powered-by');
    // The webhook POST, Meta's whole traffic, skips Express (webhook.receiver.ts) once the inbox is up.
    let receiveWebhook: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
    // So do GraphQL POSTs with a JSON body (graphql.receiver.ts), once Apollo is up.
    let receiveGraphql: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
    const httpServer = http.createServer((req, res) => {
      if (!receiveWebhook?.(req, res) && !receiveGraphql?.(req, res)) app(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    cleanup.unshift(() => new Promise((r) => httpServer.close(() => r(undefined))));
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;

    let apiBaseUrl = config.whatsapp.apiBaseUrl;
    if (config.demoMode) {
      const { router } = createSimulatorRouter({
        appSecret: config.whatsapp.appSecret,
        accessToken: config.whatsapp.apiToken,
        phoneNumberId: config.whatsapp.phoneNumberId,
        wabaId: config.whatsapp.businessAccountId,
        webhookUrl: `${url}/api/whatsapp/webhook`,
        // Its controls post signed webhooks and redirect them: only an admin of this inbox may use them.
        controlGuard: async (req) => {
          const caller = await authorize(auth, req.headers.authorization, Scope.ADMIN);
          if (refused(caller)) return { status: caller.status, error: `the simulator controls: ${caller.error}` };
        },
      });
      app.use('/simulator', router);
      apiBaseUrl = `${url}/simulator`;
    }
    const whatsapp = new WhatsAppClient({
      baseUrl: apiBaseUrl,
      version: config.whatsapp.apiVersion,
      token: config.whatsapp.apiToken,
      phoneNumberId: config.whatsapp.phoneNumberId,
      businessAccountId: config.whatsapp.businessAccountId,
      timeoutMs: config.whatsapp.apiTimeoutMs,
    });
    cleanup.unshift(() => whatsapp.close());
    const outbound = new OutboundQueue({ databaseUrl, pool, repos, config, whatsapp, log, metrics });
    await outbound.start();
    cleanup.unshift(() => outbound.stop());
    const templates = new TemplateService({ orm, whatsapp, log });
    const media = new MediaService({ orm, pool, boss: outbound.boss, whatsapp, config, log });
    await media.start();
    cleanup.unshift(() => media.stop());
    await releaseStartup();
    const inbox = new InboxProcessor(pool, repos, log, metrics, config.webhook, {
      mediaAdded: (tx, messageId, m) => media.enqueue(tx, messageId, m),
      templatesStale: () => templates.syncSoon(),
      assignOpened: config.autoAssign === 'round_robin' ? roundRobin(orm.em.fork().getRepository(Agent), repos.contacts) : undefined,
    });
    const audit = new AuditLog({ repo: orm.em.fork().getRepository(AuditEntry), log, registry: metrics.registry, retentionDays: config.audit.retentionDays });
    cleanup.unshift(() => audit.close());
    const services: Services = { config, orm, pool, repos, auth, pubsub, whatsapp, metrics, inbox, outbound, templates, media, presence, audit, log, startedAt: Date.now(), version };

    const schema = await createSchema(pubsub);
    const limits = graphqlLimits(config);
    const caps = connectionCaps({ maxConnections: config.graphql.wsMaxConnections, maxPerAddress: config.graphql.wsMaxConnectionsPerIp, metrics, log });
    const wss = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, maxPayload: 256 * 1024, verifyClient: caps.verifyClient });
    caps.count(wss);
    // Events committed while the listener was away never reach these clients: 1012 makes them
    // reconnect, and a reconnecting client refetches what it shows.
    pubsub.onResync = () => {
      presence.resync();
      for (const client of wss.clients) client.close(1012, 'events may have been missed: reconnect and refetch');
    };
    const reads = { em: orm.em, services };
    pubsub.prefetch = {
      MESSAGE_ADDED: (p) => eventMessage(p, reads),
      MESSAGE_STATUS_CHANGED: (p) => eventMessage(p, reads),
      CONTACT_UPDATED: (p) => eventContact(p, reads),
    };
    const bound = limitBufferedBytes({ maxBytes: config.graphql.wsMaxBufferedBytes, metrics, log });
    const ws = graphqlWs({ wss, schema, orm, services, validationRules: limits.validationRules, bound });
    const apollo = new ApolloServer<Context>({
      schema,
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      csrfPrevention: CSRF_PREVENTION,
      allowBatchedHttpRequests: false,
      plugins: [
        ...limits.plugins,
        ApolloServerPluginDrainHttpServer({ httpServer }),
        ApolloServerPluginLandingPageDisabled(),
        // No HTTP caching of GraphQL answers here (every request carries a token); the default plugin
        // would still wrap every field resolver to compute cache hints.
        ApolloServerPluginCacheControlDisabled(),
        { async serverWillStart() { return { async drainServer() { await ws.dispose(); } }; } },
      ],
      introspection: true,
      stopOnTerminationSignals: false, // index.ts owns the signals and closes everything in order
      includeStacktraceInErrorResponses: false,
      formatError: formatError({ log }),
    });
    await apollo.start();

    const webhooks = { config, store: webhookStore(orm.em.fork().getRepository(WebhookEvent)), inbox, metrics, log };
    app.use('/api/whatsapp', webhookRouter(webhooks));
    receiveWebhook = leanWebhookReceiver(webhooks);
    app.use(opsRouter({ services, orm, metrics }));
    // A widget embedded in a dashboard served elsewhere calls the API from that page's origin.
    const allowOrigins = config.corsOrigins.length ? crossOrigin(config.corsOrigins) : undefined;
    if (allowOrigins) app.use([GRAPHQL_PATH, '/api/media'], allowOrigins);
    app.use(mediaRouter({ config, orm, whatsapp, auth, log }));
    app.use(siteRouter({ config, root, log, demoSession: config.demoMode ? () => demoSession(services) : undefined }));
    app.use(GRAPHQL_PATH, graphqlHttp({ apollo, config, orm, services }));
    receiveGraphql = leanGraphqlReceiver({ apollo, context: graphqlContext({ orm, services }), cors: allowOrigins, log });
    // Whatever a route let through (a malformed %-escape in a path, say) is answered in JSON, without a stack.
    app.use((err: any, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status = Number(err?.status ?? err?.statusCode) || (err instanceof URIError ? 400 : 500);
      if (status >= 500) log.error({ err, path: req.path }, 'request failed');
      if (res.headersSent) return void res.end();
      res.status(status).json({ error: status >= 500 ? 'internal server error' : String(err?.message ?? 'bad request') });
    });
    inbox.start();
    templates.start(); // not awaited: a failure is logged and shown in health
    const stopCompacting = compactCountersEvery(pool, log);
    const stopPruning = pruneWebhookEventsEvery(repos.webhookEvents, config.webhook.retentionDays, log);
    audit.start();

    let closing: Promise<void> | undefined;
    return {
      httpServer,
      url,
      services,
      orm,
      close() {
        closing ??= (async () => {
          const step = async (name: string, run: () => Promise<unknown>) => {
            log.debug({ step: name }, 'shutdown');
            await run().catch((err) => log.warn({ step: name, err: (err as Error).message }, 'shutdown step failed'));
          };
          await step('http+websockets', () => apollo.stop()); // stops accepting, drains requests, closes websockets
          await step('presence', () => presence.close()); // the closed websockets' LEFT signals go out
          await step('audit', () => audit.close()); // writes the entries of the last mutations
          await step('inbox', () => inbox.stop()); // finishes the events in flight
          stopCompacting();
          stopPruning();
          await step('templates', () => templates.stop());
          await step('media', () => media.stop()); // finishes the downloads in flight, before pg-boss stops
          await step('outbound', () => outbound.stop()); // finishes the sends on the wire
          await step('whatsapp', () => whatsapp.close()); // its keep-alive connections, once nothing calls Meta
          await step('pubsub', () => pubsub.close());
          await step('orm', () => orm.close()); // and with it the pool
          if (embedded) await step('database', () => embedded.stop());
        })();
        return closing;
      },
    };
  } catch (err) {
    for (const step of cleanup) await step().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
}

