import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Context, Services } from '../context.js';
import { AppError } from '../errors.js';
import { authenticate, bearerToken } from '../http/auth.js';
import { CREDENTIAL_CACHE_MS } from '../identity/authenticator.js';
import type { Principal } from '../identity/principal.js';
import { MAX_GRAPHQL_BODY_BYTES, NOT_JSON, refuseUnread, sendGraphqlError, TOO_LARGE } from './graphql.receiver.js';
import { clientError, introspectionLimitRule, nulCharacterError } from './guards.js';
import type { SendBound } from './backpressure.js';
import { documentCache, sharedSubscribe } from './shared.subscriptions.js';
import { serveGraphqlWs } from './ws.adapter.js';

/** Most tokens one GraphQL document may have (HTTP and websocket); parsing stops beyond. */
const MAX_TOKENS = 5000;

/**
 * The limits every GraphQL operation passes, over HTTP and websocket alike: graphql-armor (depth,
 * cost, aliases, directives), bounded introspection, and a token limit at parse time (graphql-js's
 * own `maxTokens`, so an oversized document is a 400 parse error rather than a failing plugin).
 */
export function graphqlLimits(config: Config) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.graphql.maxDepth },
    costLimit: { maxCost: config.graphql.maxCost },
    maxAliases: { n: config.graphql.maxAliases },
    maxDirectives: { n: 50 },
    maxTokens: { enabled: false },
  }).protect();
  const validationRules: ValidationRule[] = [...armor.validationRules, introspectionLimitRule()];
  const httpChecks: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operation }) {
          // Over HTTP graphql-js would run a subscription's resolver once, with no event: a crash.
          if (operation?.operation === 'subscription') {
            throw new GraphQLError('subscriptions run over the websocket (graphql-transport-ws) on this URL, not over HTTP', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          const err = nulCharacterError(document, request.variables);
          if (err) throw err;
        },
      };
    },
  };
  // graphql-armor's types resolve to @apollo/server's CommonJS build; the plugins are the same objects.
  const plugins = [...(armor.plugins as unknown as ApolloServerPlugin<Context>[]), httpChecks];
  return { validationRules, plugins, parseOptions: { maxTokens: MAX_TOKENS } };
}

/**
 * Apollo's CSRF prevention, with `Authorization` (which every request here carries) among the headers
 * that force a preflight, so a GET query with the bearer token needs no extra header.
 */
export const CSRF_PREVENTION = { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] };

/** Apollo's `formatError`: see `clientError`; unexpected errors are logged. */
export function formatError(services: Pick<Services, 'log'>) {
  return (formatted: Parameters<typeof clientError>[0], err: unknown) => {
    const out = clientError(formatted, err);
    // The error (message, path, stack, cause; logger.ts keeps the values it quotes out) and the code the client got; never the variables.
    if (out.extensions?.code === 'INTERNAL_SERVER_ERROR') services.log.error({ err, code: out.extensions.code }, 'unexpected GraphQL error');
    else if (out !== formatted) services.log.warn({ err }, 'GraphQL argument refused by the database');
    return out;
  };
}

/** A GraphQL request's context: its caller (UNAUTHENTICATED without a valid credential), and its own EntityManager. */
export function graphqlContext(opts: { orm: MikroORM; services: Services }): (authorization: string | undefined) => Promise<Context> {
  const { orm, services } = opts;
  return async (authorization) => {
    const principal = await authenticate(services.auth, authorization);
    return { em: orm.em.fork(), services, principal };
  };
}

/**
 * GET /graphql, and the POSTs the lean receiver (graphql.receiver.ts) leaves to Express: Apollo behind
 * a JSON-only body parser. A POST that is not `application/json` gets 415, one without a valid
 * credential 401 before its body is read, a body that is not JSON 400, an oversized one 413, all as
 * GraphQL errors.
 */
export function graphqlHttp(opts: { apollo: ApolloServer<Context>; config: Config; orm: MikroORM; services: Services }) {
  const { apollo, services } = opts;
  const context = graphqlContext(opts);
  const router = express.Router();
  router.use((req, res, next) => {
    if (req.method !== 'POST' || /^application\/json\s*(;|$)/i.test(req.header('content-type') ?? '')) return next();
    res.set('accept-post', 'application/json');
    sendGraphqlError(req, res, 415, 'POST /graphql takes a JSON body with Content-Type: application/json');
  });
  // The caller first: a body is read only for one. (GET has none; Apollo's CSRF check answers first there.)
  router.use((req, res, next) => {
    if (req.method !== 'POST') return next();
    context(req.header('authorization')).then(
      (ctx) => {
        res.locals.context = ctx;
        next();
      },
      (err: unknown) => refuseUnread(req, res, err, services.log),
    );
  });
  router.use(express.json({ limit: MAX_GRAPHQL_BODY_BYTES }));
  router.use(expressMiddleware(apollo, { context: async ({ req, res }) => (res.locals.context as Context | undefined) ?? context(req.header('authorization')) }));
  router.use((err: { type?: string; status?: number; message?: string }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return sendGraphqlError(req, res, 400, NOT_JSON);
    if (err.type === 'entity.too.large') return sendGraphqlError(req, res, 413, TOO_LARGE);
    if (err.status && err.status >= 400 && err.status < 500) return sendGraphqlError(req, res, err.status, err.message ?? 'bad request');
    services.log.error({ err }, 'GraphQL HTTP request failed');
    sendGraphqlError(req, res, 500, 'internal server error');
  });
  return router;
}

/**
 * A websocket operation's context. Its EntityManager is forked at first use: most subscriptions never
 * read through it (events are read once for all, `db/row.loader.ts`), and a fork held for a
 * subscription's life cost each subscriber about 3 kB.
 */
class WsContext implements Context {
  private fork?: Context['em'];

  constructor(
    private readonly orm: MikroORM,
    readonly services: Services,
    readonly principal: Principal,
  ) {}

  get em(): Context['em'] {
    return (this.fork ??= this.orm.em.fork());
  }
}

/** A websocket's keepalive: pinged this often, terminated when it has not answered by the next ping. */
const WS_KEEPALIVE_MS = 12_000;

/**
 * graphql-transport-ws (`ws.protocol.ts`) on the shared HTTP server: the token is checked in `connection_init` and the socket
 * closed (4403) when it expires; operations get the HTTP limits, their own EntityManager fork (when
 * they use one) and at most GRAPHQL_WS_MAX_SUBSCRIPTIONS per connection; identical subscriptions
 * share one execution; every frame goes through `bound` (the unread-bytes limit).
 */
export function graphqlWs(opts: { wss: WebSocketServer; schema: GraphQLSchema; orm: MikroORM; services: Services; validationRules: ValidationRule[]; bound: SendBound }) {
  const { wss, schema, orm, services, validationRules, bound } = opts;
  const { config } = services;
  const rules = [...specifiedRules, ...validationRules];
  const maxOps = config.graphql.wsMaxSubscriptions;
  // Parsed and validated once per query text: every widget sends the same subscription.
  const checked = documentCache<{ document: DocumentNode; errors: readonly GraphQLError[] } | GraphQLError>();
  // Each open connection's credential is checked again every few seconds, so a revoked key or a
  // deactivated agent loses its live updates too, not only its next request.
  const credentials = new Map<WebSocket, string>();
  const recheck = setInterval(() => {
    for (const [socket, token] of credentials) {
      services.auth.authenticate(token).catch(() => {
        credentials.delete(socket);
        socket.close(CloseCode.Forbidden, 'Forbidden: the credential was revoked');
      });
    }
  }, CREDENTIAL_CACHE_MS);
  recheck.unref();
  wss.once('close', () => clearInterval(recheck));
  // Sessions' expiry timers, by socket (keys and bootstrap tokens do not expire).
  const expiries = new Map<WebSocket, () => void>();
  const served = serveGraphqlWs<Principal>(wss, {
    connect: async (params, socket) => {
      const header = params?.authorization ?? params?.Authorization;
      const principal = await authenticate(services.auth, header).catch(() => null);
      if (!principal || socket.readyState !== socket.OPEN) return null; // closed meanwhile: nothing to keep
      credentials.set(socket, bearerToken(header)!);
      if (principal.expiresAt !== null) expiries.set(socket, closeAtExpiry(socket, principal.expiresAt));
      return principal;
    },
    closed: (socket) => {
      credentials.delete(socket);
      expiries.get(socket)?.();
      expiries.delete(socket);
    },
    prepare: (payload, principal, running) => {
      if (running > maxOps) {
        return [new GraphQLError(`at most ${maxOps} operations may run at once on one connection`, { extensions: { code: 'BAD_REQUEST', limit: maxOps } })];
      }
      const parsed = checked(payload.query, () => {
        try {
          const document = parse(payload.query, { maxTokens: MAX_TOKENS });
          return { document, errors: validate(schema, document, rules) };
        } catch (err) {
          return err instanceof GraphQLError ? err : new GraphQLError(String(err));
        }
      });
      if (parsed instanceof GraphQLError) return [parsed]; // not a close: the socket stays
      const { document, errors } = parsed;
      if (errors.length) return errors;
      const nul = nulCharacterError(document, payload.variables);
      if (nul) return [nul];
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: new WsContext(orm, services, principal) };
    },
    subscribe: sharedSubscribe(),
    format: (result) => {
      if (!result.errors) return result;
      for (const e of result.errors) if (e.originalError && !(e.originalError instanceof GraphQLError)) services.log.error({ err: e.originalError }, 'websocket operation failed');
      return { ...result, errors: result.errors.map((e) => clientError(e.toJSON(), e)) };
    },
    refused: (errors) => {
      for (const e of errors) if (!(e instanceof GraphQLError)) services.log.error({ err: e }, 'websocket operation failed');
    },
    send: (socket, frame, remote) => bound.send(socket, frame, remote),
  }, { keepAliveMs: WS_KEEPALIVE_MS, initTimeoutMs: 5_000, failed: (err) => services.log.error({ err }, 'websocket connection failed') });
  return { dispose: async () => {
    clearInterval(recheck);
    await served.dispose();
  } };
}

/** Closes the socket with 4403 when its token expires (re-armed past setTimeout's 24.8-day range); returns how to stop. */
function closeAtExpiry(socket: { close(code: number, reason: string): void }, expiresAt: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const wait = expiresAt - Date.now();
    if (wait <= 0) return socket.close(CloseCode.Forbidden, 'Forbidden: the bearer token expired');
    timer = setTimeout(arm, Math.min(wait, 2 ** 31 - 1));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
