import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const intFrom = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

/** `*`, or origins (`https://dash.example.com`) separated by commas: scheme, host and port, nothing more. */
const corsOrigins = optionalString.pipe(
  z
    .string()
    .optional()
    .transform((v) => (v == null ? [] : v.split(',').map((o) => o.trim()).filter(Boolean)))
    .refine((list) => list.every((o) => o === '*' || (URL.canParse(o) && new URL(o).origin === o)), 'must be * or origins like https://dash.example.com, separated by commas'),
);

const schema = z.object({
  PORT: intFrom(4000, 0, 65535),
  HOST: optionalString,
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  ),
  DATA_DIR: z.string().default('./.data'),
  AUTH_TOKENS: optionalString,
  SESSION_SECRET: optionalString,
  // As short as 5 s so a test can watch a session expire and the widget renew it.
  SESSION_TTL_SECONDS: intFrom(3600, 5, 7 * 86_400),
  DEMO: optionalString.pipe(z.enum(['0', '1'], { error: 'must be 1 (allow demo mode) or 0' }).optional()),
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_BUSINESS_ACCOUNT_ID: optionalString,
  WHATSAPP_API_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_WEBHOOK_VERIFY_TOKEN: optionalString,
  WHATSAPP_API_BASE_URL: z.url().default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default('v25.0'),
  WHATSAPP_MAX_MESSAGES_PER_SECOND: intFrom(80, 1, 10000),
  WHATSAPP_API_TIMEOUT_MS: intFrom(20_000, 100, 300_000),
  CORS_ORIGINS: corsOrigins,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_MAX_BODY_BYTES: intFrom(3 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  WEBHOOK_MAX_ATTEMPTS: intFrom(8, 1, 100),
  WEBHOOK_RETRY_BASE_MS: intFrom(1000, 1, 3_600_000),
  WEBHOOK_CLAIM_LEASE_MS: intFrom(10_000, 100, 3_600_000),
  WEBHOOK_RETENTION_DAYS: intFrom(30, 1, 3650),
  OUTBOUND_PAIR_INTERVAL_MS: intFrom(6000, 0, 600_000),
  OUTBOUND_MAX_ATTEMPTS: intFrom(8, 1, 100),
  OUTBOUND_RECONCILE_SECONDS: intFrom(120, 1, 86_400),
  OUTBOUND_JOB_EXPIRE_SECONDS: intFrom(60, 5, 3600),
  SEND_WAIT_MS: intFrom(10_000, 0, 120_000),
  MEDIA_DOWNLOAD_ATTEMPTS: intFrom(6, 1, 100),
  MEDIA_RETRY_DELAY_SECONDS: intFrom(30, 1, 86_400),
  GRAPHQL_MAX_DEPTH: intFrom(10, 2, 100),
  GRAPHQL_MAX_COST: intFrom(5000, 10, 1_000_000),
  GRAPHQL_MAX_ALIASES: intFrom(20, 1, 1000),
  GRAPHQL_MAX_PAGE_SIZE: intFrom(100, 1, 1000),
  GRAPHQL_WS_MAX_BUFFERED_BYTES: intFrom(4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
  GRAPHQL_WS_MAX_SUBSCRIPTIONS: intFrom(100, 1, 100_000),
  WS_MAX_CONNECTIONS: intFrom(10_000, 1, 1_000_000),
  WS_MAX_CONNECTIONS_PER_IP: intFrom(100, 1, 1_000_000),
  AUTO_ASSIGN: z.enum(['none', 'round_robin'], { error: 'must be none or round_robin' }).default('none'),
  AUDIT_RETENTION_DAYS: intFrom(365, 1, 36_500),
});

/** One accepted bearer token; `expiresAt` (epoch ms) from `AUTH_TOKENS=token@2026-12-31T00:00:00Z`. */
export interface BearerToken {
  token: string;
  expiresAt: number | null;
}

const instant = z.iso.datetime({ offset: true });

/** `a,b@2026-12-31T00:00:00Z` → tokens; everything after a token's last `@` is its expiry (an ISO 8601 instant). */
function parseAuthTokens(list: string): BearerToken[] {
  const items = list.split(',').map((t) => t.trim()).filter(Boolean);
  return items.map((item, i) => {
    const at = item.lastIndexOf('@');
    if (at < 0) return { token: item, expiresAt: null };
    const token = item.slice(0, at).trim();
    const expiry = item.slice(at + 1).trim();
    // The token is a secret: errors name its position, never its text.
    if (!token) throw new ConfigError(`Invalid configuration: AUTH_TOKENS: token ${i + 1} is empty before its @expiry`);
    if (!instant.safeParse(expiry).success) {
      throw new ConfigError(`Invalid configuration: AUTH_TOKENS: token ${i + 1} has the expiry ${JSON.stringify(expiry)}, not an ISO 8601 instant such as 2026-12-31T00:00:00Z`);
    }
    return { token, expiresAt: Date.parse(expiry) };
  });
}

/** Validated, frozen configuration. Nothing else in the server reads `process.env`. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  authTokens: readonly string[];
  /** True when AUTH_TOKENS was unset and the demo made its token up (it may be printed; a configured one never is). */
  authTokenGenerated: boolean;
  /** The same tokens with their expiry; an expired token is refused (HTTP 401, websocket closed). */
  bearerTokens: readonly BearerToken[];
  /** Agents' sessions: the secrets that sign them (the first signs, all verify) and how long one lasts. */
  session: { secrets: readonly string[]; ttlSeconds: number };
  /** True when no WHATSAPP_API_TOKEN is set: the built-in simulator plays Meta. */
  demoMode: boolean;
  /** Origins whose pages may call the API from a browser (CORS); `*` for any. Empty: only pages served from here. */
  corsOrigins: readonly string[];
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  whatsapp: {
    phoneNumberId: string;
    businessAccountId: string;
    apiToken: string;
    appSecret: string;
    verifyToken: string;
    /** Base URL of the Graph API; in demo mode filled in once the port is known. */
    apiBaseUrl: string;
    apiVersion: string;
    maxMessagesPerSecond: number;
    /** How long one Graph API call may take, answer included, before it counts as failed (a send's outcome is then unknown). */
    apiTimeoutMs: number;
  };
  webhook: {
    maxBodyBytes: number;
    maxAttempts: number;
    retryBaseMs: number;
    /** How long a claim holds events before they count as left by a dead process and are claimed again, one at a time. */
    claimLeaseMs: number;
    /** Days a PROCESSED (or DISMISSED) event's raw body is kept before it is pruned; FAILED ones stay until replayed or dismissed. */
    retentionDays: number;
  };
  outbound: {
    /** Minimum spacing of two messages to one recipient (Meta's pair rate limit). */
    pairIntervalMs: number;
    /** Attempts per message for retryable errors before it is FAILED. */
    maxAttempts: number;
    /**
     * After an unknown outcome (timeout, a gateway's 5xx, an answer without a wamid, a crash mid-call), how long
     * an UNKNOWN message waits for a status webhook before it is offered to a person to resend or dismiss.
     * Nothing resends it by itself.
     */
    reconcileSeconds: number;
    /** How long a dispatcher may hold a job before another takes it over. */
    jobExpireSeconds: number;
    /** How long sendMessage waits for Meta's answer before returning the message still PENDING. */
    sendWaitMs: number;
  };
  graphql: {
    maxDepth: number; maxCost: number; maxAliases: number; maxPageSize: number;
    /** Bytes a websocket client may leave unread before the connection is dropped. */
    wsMaxBufferedBytes: number;
    /** Operations one websocket connection may run at once; more get an error each. */
    wsMaxSubscriptions: number;
    /** Open websocket connections in all; one more is refused before the upgrade (HTTP 503). */
    wsMaxConnections: number;
    /** Open websocket connections from one client address (an IPv6 /64); one more is refused (HTTP 429). */
    wsMaxConnectionsPerIp: number;
  };
  /**
   * AUTO_ASSIGN: `round_robin` gives a new conversation (a contact's first customer message) and a
   * reopened one (a customer message on a closed conversation) whose assignee is not available to the
   * available agent whose last turn is oldest; `none` leaves assignment to people.
   */
  autoAssign: 'none' | 'round_robin';
  media: {
    /** Download attempts per inbound media file before it is FAILED (the message stays). */
    downloadAttempts: number;
    /** First retry delay of a failed download; pg-boss doubles it (with jitter) on every retry. */
    retryDelaySeconds: number;
  };
  audit: {
    /** Entries of the audit log older than this many days are pruned (hourly). */
    retentionDays: number;
  };
}

/** Every environment variable the server reads (README's table and .env.example document each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** An invalid environment; its message is one line naming the variable. */
export class ConfigError extends Error {}

const secret = () => randomBytes(24).toString('base64url');

/** What a real deployment sets and a demo does not need: demo mode refuses to start beside any of them unless DEMO=1. */
const DEPLOYMENT_SETTINGS = [
  'DATABASE_URL',
  'AUTH_TOKENS',
  'SESSION_SECRET',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_BUSINESS_ACCOUNT_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_WEBHOOK_VERIFY_TOKEN',
] as const;

/**
 * Validates an environment (default `process.env`) into a Config.
 * Throws ConfigError whose message is one line naming the offending variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const demoMode = !e.WHATSAPP_API_TOKEN;
  if (demoMode && e.DEMO !== '1') {
    // Without a Graph API token the simulator plays Meta and the demo makes up what is missing; with a
    // database or a real deployment's settings present, that is far more likely a forgotten token.
    const present = DEPLOYMENT_SETTINGS.filter((name) => e[name]);
    if (present.length) {
      throw new ConfigError(
        `Invalid configuration: ${present.join(', ')} ${present.length > 1 ? 'are' : 'is'} set but WHATSAPP_API_TOKEN is not: set WHATSAPP_API_TOKEN for a real number, or DEMO=1 to run the demo (simulated WhatsApp) with ${present.length > 1 ? 'them' : 'it'}`,
      );
    }
  }
  if (!demoMode && e.DEMO === '1') {
    // Someone who asks for the demo expects nothing to reach customers; with a Graph API token it would.
    throw new ConfigError('Invalid configuration: DEMO=1 but WHATSAPP_API_TOKEN is set: the demo runs without a Graph API token; unset one of them');
  }
  if (!demoMode) {
    for (const name of [
      'AUTH_TOKENS',
      'SESSION_SECRET',
      'WHATSAPP_PHONE_NUMBER_ID',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_WEBHOOK_VERIFY_TOKEN',
    ] as const) {
      if (!e[name]) throw new ConfigError(`Invalid configuration: ${name} is required when WHATSAPP_API_TOKEN is set`);
    }
  }
  // A send job must outlive its call to Meta, or another process could take it over (and send again)
  // while the first still waits for the answer.
  if (e.WHATSAPP_API_TIMEOUT_MS >= e.OUTBOUND_JOB_EXPIRE_SECONDS * 1000) {
    throw new ConfigError('Invalid configuration: WHATSAPP_API_TIMEOUT_MS must be shorter than OUTBOUND_JOB_EXPIRE_SECONDS');
  }
  const bearerTokens = parseAuthTokens(e.AUTH_TOKENS ?? (demoMode ? secret() : ''));
  const authTokens = bearerTokens.map((t) => t.token);
  const sessionSecrets = (e.SESSION_SECRET ?? secret() + secret()).split(',').map((s) => s.trim()).filter(Boolean);
  // A secret is never named in an error, only its position.
  const weak = sessionSecrets.findIndex((s) => s.length < 32);
  if (weak >= 0) throw new ConfigError(`Invalid configuration: SESSION_SECRET: secret ${weak + 1} is shorter than 32 characters`);
  return Object.freeze({
    port: e.PORT,
    // The demo hands an admin session to whoever opens its page: only this machine may, unless HOST says otherwise.
    host: e.HOST ?? (demoMode ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    authTokens: Object.freeze(authTokens),
    authTokenGenerated: !e.AUTH_TOKENS,
    bearerTokens: Object.freeze(bearerTokens.map((t) => Object.freeze(t))),
    session: Object.freeze({ secrets: Object.freeze(sessionSecrets), ttlSeconds: e.SESSION_TTL_SECONDS }),
    demoMode,
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL,
    whatsapp: Object.freeze({
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID ?? '100000000000001',
      businessAccountId: e.WHATSAPP_BUSINESS_ACCOUNT_ID ?? '200000000000001',
      apiToken: e.WHATSAPP_API_TOKEN ?? `demo-${secret()}`,
      appSecret: e.WHATSAPP_APP_SECRET ?? secret(),
      verifyToken: e.WHATSAPP_WEBHOOK_VERIFY_TOKEN ?? secret(),
      apiBaseUrl: e.WHATSAPP_API_BASE_URL.replace(/\/+$/, ''),
      apiVersion: e.WHATSAPP_API_VERSION,
      maxMessagesPerSecond: e.WHATSAPP_MAX_MESSAGES_PER_SECOND,
      apiTimeoutMs: e.WHATSAPP_API_TIMEOUT_MS,
    }),
    webhook: Object.freeze({
      maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      claimLeaseMs: e.WEBHOOK_CLAIM_LEASE_MS,
      retentionDays: e.WEBHOOK_RETENTION_DAYS,
    }),
    outbound: Object.freeze({
      pairIntervalMs: e.OUTBOUND_PAIR_INTERVAL_MS,
      maxAttempts: e.OUTBOUND_MAX_ATTEMPTS,
      reconcileSeconds: e.OUTBOUND_RECONCILE_SECONDS,
      jobExpireSeconds: e.OUTBOUND_JOB_EXPIRE_SECONDS,
      sendWaitMs: e.SEND_WAIT_MS,
    }),
    graphql: Object.freeze({
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxCost: e.GRAPHQL_MAX_COST,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxPageSize: e.GRAPHQL_MAX_PAGE_SIZE,
      wsMaxBufferedBytes: e.GRAPHQL_WS_MAX_BUFFERED_BYTES,
      wsMaxSubscriptions: e.GRAPHQL_WS_MAX_SUBSCRIPTIONS,
      wsMaxConnections: e.WS_MAX_CONNECTIONS,
      wsMaxConnectionsPerIp: e.WS_MAX_CONNECTIONS_PER_IP,
    }),
    autoAssign: e.AUTO_ASSIGN,
    media: Object.freeze({
      downloadAttempts: e.MEDIA_DOWNLOAD_ATTEMPTS,
      retryDelaySeconds: e.MEDIA_RETRY_DELAY_SECONDS,
    }),
    audit: Object.freeze({ retentionDays: e.AUDIT_RETENTION_DAYS }),
  });
}
