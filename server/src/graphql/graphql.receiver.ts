import type http from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import accepts from 'accepts';
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { plainPost, readBody } from '../http/body.js';

/** The path of the GraphQL endpoint (HTTP and websocket). */
export const GRAPHQL_PATH = '/graphql';

/** Largest POST /graphql body: room for a sendBulkMessage to the most recipients it takes. */
export const MAX_GRAPHQL_BODY_BYTES = 8 * 1024 * 1024;

/** The body types this receiver reads itself: JSON in UTF-8 (the charset named or not). */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** What `express.json()` in strict mode accepts as a body's first character: an object or an array. */
const FIRST_CHARACTER = /^[\x20\x09\x0a\x0d]*(.)/s;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void;

/**
 * A GraphQL-shaped error answer (`extensions.code` BAD_REQUEST unless `code` says otherwise), in the
 * media type the client accepts; `close` ends the connection after it (a body left unread).
 */
export function sendGraphqlError(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string, close = false, code = 'BAD_REQUEST'): void {
  const type = accepts(req).type(['application/json', 'application/graphql-response+json']) || 'application/json';
  const text = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/**
 * Answers a request whose credential was refused (its context could not be made) without reading its
 * body: 401 UNAUTHENTICATED, or 500 for anything else, and the connection closed once answered.
 */
export function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, err: unknown, log: { error(obj: object, msg: string): void }): void {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  if (code === 'UNAUTHENTICATED') sendGraphqlError(req, res, 401, err instanceof Error ? err.message : 'unauthenticated', true, 'UNAUTHENTICATED');
  else {
    log.error({ err }, 'GraphQL HTTP request failed before its body was read');
    sendGraphqlError(req, res, 500, 'internal server error', true);
  }
  // What the client still sends is not read: Node would otherwise drain it to keep the connection.
  res.once('finish', () => req.destroy());
}

/** The answer to a body over MAX_GRAPHQL_BODY_BYTES. */
export const TOO_LARGE = `the body is larger than ${MAX_GRAPHQL_BODY_BYTES / 1024 / 1024}mb`;
/** The answer to a body that is not a JSON object or array. */
export const NOT_JSON = 'the body is not valid JSON';

/**
 * POST /graphql with a plain JSON body, without Express: Express gives each `req` and `res` a new
 * prototype, which V8 keeps alive through young-generation collections and so lengthens their pauses.
 * Answers as the Express route does (CORS, 401, 413, 400, Apollo's answer); returns false for anything
 * else (GET, other paths, body types or charsets, compressed bodies), which Express then handles.
 * The credential is checked before a byte of the body is read: a caller without one costs no memory.
 */
export function leanGraphqlReceiver(opts: {
  apollo: ApolloServer<Context>;
  /** The request's context from its Authorization header (throws when it is not a valid token). */
  context: (authorization: string | undefined) => Promise<Context>;
  cors?: Handler;
  log: { error(obj: object, msg: string): void };
}): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const { apollo, context, cors, log } = opts;

  const run = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown, search: string, ctx: Context) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search, body },
      context: async () => ctx,
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(answer.body.string));
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const receive = (req: http.IncomingMessage, res: http.ServerResponse, search: string) => {
    context(req.headers.authorization).then(
      (ctx) => read(req, res, search, ctx),
      (err: unknown) => refuseUnread(req, res, err, log),
    );
  };

  const read = (req: http.IncomingMessage, res: http.ServerResponse, search: string, ctx: Context) =>
    readBody(req, res, MAX_GRAPHQL_BODY_BYTES, () => sendGraphqlError(req, res, 413, TOO_LARGE, true), (bytes) => {
      const text = bytes.toString('utf8');
      let body: unknown = {};
      if (text.length) {
        const first = FIRST_CHARACTER.exec(text)?.[1];
        try {
          if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
          body = JSON.parse(text);
        } catch {
          sendGraphqlError(req, res, 400, NOT_JSON);
          return;
        }
      }
      run(req, res, body, search, ctx).catch((err: Error) => {
        log.error({ err }, 'GraphQL HTTP request failed');
        if (!res.headersSent) sendGraphqlError(req, res, 500, 'internal server error');
        else res.destroy();
      });
    });

  return (req, res) => {
    const search = plainPost(req, GRAPHQL_PATH);
    if (search === null || !PLAIN_JSON.test(req.headers['content-type'] ?? '')) return false;
    if (!cors) receive(req, res, search);
    else cors(req, res, (err) => (err ? sendGraphqlError(req, res, 500, 'internal server error') : receive(req, res, search)));
    return true;
  };
}
