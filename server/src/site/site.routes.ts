import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Config } from '../config.js';
import { dashboardPage, scriptJson } from './dashboard.page.js';
import { gzipStatic } from './site.static.js';

/**
 * Browser-facing routes: the demo dashboard at `/`, the widget bundle (`/widget.js`), and GraphiQL on
 * a browser `GET /graphql` (other GET /graphql requests fall through to the GraphQL server). In demo
 * mode the pages carry the first API token, so they work without signing in.
 */
export function siteRouter(opts: { config: Config; root: string }) {
  const router = express.Router();
  const webDist = path.join(opts.root, 'web/dist');
  const token = opts.config.demoMode ? (opts.config.authTokens[0] ?? null) : null;
  const noStore = (res: express.Response) => res.set('cache-control', 'no-store');

  router.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html' || req.query.query) return next();
    const page = path.join(webDist, 'graphiql/graphiql.html');
    if (!fs.existsSync(page)) {
      res.type('html').send(
        `<!doctype html><title>GraphQL</title><p>GraphiQL is not built yet (<code>npm run build:web</code>). POST GraphQL requests to this URL with <code>Authorization: Bearer &lt;token&gt;</code>; subscriptions use graphql-ws on the same path.</p>`,
      );
      return;
    }
    const html = fs.readFileSync(page, 'utf8').replace('</head>', `<script>window.__INBOX_GRAPHIQL__=${scriptJson({ token, endpoint: '/graphql' })}</script></head>`);
    noStore(res).type('html').send(html);
  });
  router.get(['/', '/index.html'], (_req, res) => {
    noStore(res).type('html').send(dashboardPage({ token }));
  });
  router.use(gzipStatic(webDist), express.static(webDist, { index: false, fallthrough: true }));
  return router;
}
