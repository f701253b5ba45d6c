import type { Writable } from 'node:stream';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

/** Keys whose values are credentials, wherever they sit in a logged object (two levels deep, and headers). */
const SECRET_KEYS = ['authorization', 'cookie', 'token', 'accessToken', 'apiToken', 'password', 'secret', 'appSecret', 'sessionSecret', 'apiKey', 'key'];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
];

/**
 * Fields of driver errors that quote the statement's values (a customer's text, a phone number):
 * pg's `detail` ("Key (wa_id)=(15551234567) already exists"), `where`, `internalQuery`, knex's
 * bindings, a GraphQL request's variables. Kept only at debug level.
 */
const VALUE_FIELDS = new Set(['detail', 'where', 'internalQuery', 'query', 'sql', 'parameters', 'params', 'bindings', 'variables', 'hint']);
/** Structure of a GraphQLError that is either said otherwise (path, code) or is the request itself. */
const SKIPPED = new Set(['originalError', 'cause', 'extensions', 'locations', 'nodes', 'source', 'positions']);

/**
 * What a logged error shows: its type, message, code, GraphQL path and stack, its own scalar fields,
 * and its cause the same way; never a field that quotes bound values unless `keepValues`.
 */
export function safeError(err: unknown, keepValues = false, depth = 0): unknown {
  if (!(err instanceof Error)) return typeof err === 'object' && err !== null ? { message: String((err as { message?: unknown }).message ?? '[object]') } : err;
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) {
    if (k in out || SKIPPED.has(k) || (!keepValues && VALUE_FIELDS.has(k))) continue;
    if (v === undefined || typeof v === 'function' || (typeof v === 'object' && v !== null && !Array.isArray(v))) continue;
    if (Array.isArray(v) && v.some((x) => typeof x === 'object' && x !== null)) continue;
    out[k] = v;
  }
  const gql = err as Error & { extensions?: { code?: unknown }; path?: ReadonlyArray<string | number>; originalError?: unknown };
  if (gql.extensions?.code !== undefined) out.code = gql.extensions.code;
  if (Array.isArray(gql.path)) out.path = gql.path.join('.');
  const cause = gql.originalError ?? err.cause;
  if (cause && cause !== err && depth < 3) out.cause = safeError(cause, keepValues, depth + 1);
  return out;
}

/**
 * The server's logger: JSON lines (for a log collector), or human-readable lines when `pretty`
 * (default: stdout is a terminal). Credentials are redacted; errors go through `safeError`, which
 * keeps the values they quote only at debug level and below.
 */
export function createLogger(opts: { level: Level | 'silent'; destination?: Writable | DestinationStream; pretty?: boolean }): Logger {
  const pretty = opts.pretty ?? (!opts.destination && process.stdout.isTTY === true);
  const keepValues = opts.level === 'debug' || opts.level === 'trace';
  const options = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: (err: unknown) => safeError(err, keepValues) },
  };
  if (pretty) {
    // In this thread and synchronous, so that a fatal line is out before process.exit.
    const stream = PinoPretty({ sync: true, colorize: !opts.destination, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: opts.destination ?? 1 });
    return pino(options, stream);
  }
  return opts.destination ? pino(options, opts.destination as DestinationStream) : pino(options);
}
