import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Config } from '../config.js';

/**
 * Browser-facing routes: the demo dashboard at `/`, the widget bundle, and GraphiQL on a browser
 * `GET /graphql` (other GET /graphql requests fall through to the GraphQL server).
 */
export function webRouter(opts: { config: Config; root: string }) {
  const router = express.Router();
  router.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html' || req.query.query) return next();
    res.type('html').send(
      `<!doctype html><title>GraphQL</title><p>POST GraphQL requests to this URL with <code>Authorization: Bearer &lt;token&gt;</code>; subscriptions use graphql-ws on the same path.</p>`,
    );
  });
  const webDist = path.join(opts.root, 'web/dist');
  if (fs.existsSync(webDist)) router.use(express.static(webDist));
  router.get('/', (_req, res) =>
    res.type('html').send(`<!doctype html><title>WhatsApp inbox</title><h1>WhatsApp inbox</h1><p>The API is at <a href="/graphql">/graphql</a>.</p>`),
  );
  return router;
}
