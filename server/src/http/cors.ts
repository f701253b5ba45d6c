import cors from 'cors';

/**
 * CORS for the pages of `origins` (`*`: any): the answer names the page's origin, and a preflight may
 * ask for the headers the widget and GraphQL clients send. Tokens travel in the Authorization header,
 * never in cookies, so no credentials are allowed. Other origins get no CORS headers: their browsers
 * keep the answer from the page.
 */
export function crossOrigin(origins: readonly string[]): ReturnType<typeof cors> {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return cors({
    origin: (origin, done) => done(null, !!origin && (any || allowed.has(origin))),
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'],
    maxAge: 600,
  });
}
