import { randomBytes } from 'node:crypto';

/** Meta's error body: `{ error: { message, type, code, error_data, fbtrace_id } }`. */
export interface MetaErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** A Meta error plus the HTTP status and headers it is answered with. */
export interface MetaErrorReply {
  status: number;
  body: MetaErrorBody;
  headers?: Record<string, string>;
}

const TITLES: Record<number, string> = {
  1: 'API Unknown',
  2: 'API Service',
  4: 'Application request limit reached',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token',
  80007: 'Rate limit issues',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131016: 'Service unavailable',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131053: 'Media upload error',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
};

/** The HTTP status Meta uses for an error code when none is scripted. */
export function defaultHttpStatus(code: number): number {
  if ([4, 80007, 130429, 131056].includes(code)) return 429;
  if (code === 190) return 401;
  if ([1, 2, 131000, 131016].includes(code)) return 500;
  return 400;
}

/** Builds a Meta error reply; `message` defaults to `(#CODE) TITLE`. */
export function metaError(
  code: number,
  details: string,
  opts: { status?: number; title?: string; message?: string; retryAfterSeconds?: number; type?: string } = {},
): MetaErrorReply {
  const title = opts.title ?? TITLES[code] ?? 'Simulated error';
  const reply: MetaErrorReply = {
    status: opts.status ?? defaultHttpStatus(code),
    body: {
      error: {
        message: opts.message ?? `(#${code}) ${title}`,
        type: opts.type ?? 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details },
        fbtrace_id: `A${randomBytes(16).toString('base64url')}`,
      },
    },
  };
  if (opts.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(opts.retryAfterSeconds) };
  return reply;
}

/** Thrown inside handlers to answer with a Meta error. */
export class MetaError extends Error {
  constructor(readonly reply: MetaErrorReply) {
    super(reply.body.error.message);
  }
}

/** Shorthand for `throw new MetaError(metaError(...))`. */
export function fail(code: number, details: string, status?: number): never {
  throw new MetaError(metaError(code, details, { status }));
}

/** A simulator usage problem (bad injection input, no webhook URL) with the HTTP status to report. */
export class SimulatorError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
