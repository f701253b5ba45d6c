import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError, type GraphQLSchema, type ValidationRule, validate, specifiedRules } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Context, Services } from '../context.js';
import { AppError } from '../errors.js';
import { safeEqual } from '../webhook/webhook.signature.js';

/** True when `header` is `Bearer <one of AUTH_TOKENS>`. */
export function isAuthorized(config: Config, header: unknown): boolean {
  if (typeof header !== 'string') return false;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return !!m && config.authTokens.some((t) => safeEqual(t, m[1]!));
}

export function requireToken(config: Config, header: unknown): void {
  if (!isAuthorized(config, header)) throw new AppError('UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer <token>)');
}

/**
 * graphql-ws on the shared HTTP server: the token is checked in `connection_init`
 * (`{ authorization: "Bearer …" }`), every operation gets its own EntityManager fork and
 * the same validation limits as HTTP.
 */
export function graphqlWs(opts: { wss: WebSocketServer; schema: GraphQLSchema; orm: MikroORM; services: Services; validationRules: ValidationRule[] }) {
  const { wss, schema, orm, services, validationRules } = opts;
  wss.on('connection', (socket) => {
    services.metrics.wsClients.inc();
    socket.once('close', () => services.metrics.wsClients.dec());
  });
  return useServer<Record<string, unknown>>(
    {
      schema,
      connectionInitWaitTimeout: 5_000,
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {};
        return isAuthorized(services.config, params.authorization ?? params.Authorization);
      },
      context: (): Context => ({ em: orm.em.fork(), services }),
      validate: (s, document) => validate(s, document, [...specifiedRules, ...validationRules]),
      onError: (_ctx, _id, _payload, errors) => {
        for (const e of errors) if (!(e instanceof GraphQLError)) services.log.error({ err: e }, 'websocket operation failed');
      },
    },
    wss,
  );
}

