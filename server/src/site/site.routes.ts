import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Config } from '../config.js';
import { dashboardPage, scriptJson } from './dashboard.page.js';
import { assetHeaders, gzipStatic } from './site.static.js';

/**
 * Browser-facing routes: the demo dashboard at `/`, the widget bundle (`/widget.js` and the chunks it
 * imports, `/widget/*.js`), and GraphiQL on a browser `GET /graphql` (other GET /graphql requests
 * fall through to the GraphQL server). In demo
 * mode each page load carries a new session from `demoSession`, so the pages work without signing in
 * and a reload renews an expired one; no page ever carries a key from AUTH_TOKENS.
 */
export function siteRouter(opts: {
  config: Config;
  root: string;
  /** Demo mode: a fresh session token of the demo's admin agent. */
  demoSession?: () => Promise<string>;
  log?: { warn(obj: object, msg: string): void };
}) {
  const router = express.Router();
  const webDist = path.join(opts.root, 'web/dist');
  const demoSession = opts.config.demoMode ? opts.demoSession : undefined;
  const noStore = (res: express.Response) => res.set('cache-control', 'no-store');
  /** The page's session, or null: the page then asks for a credential, as outside demo mode. */
  const sessionFor = async (): Promise<string | null> => {
    if (!demoSession) return null;
    try {
      return await demoSession();
    } catch (err) {
      opts.log?.warn({ err: (err as Error).message }, 'no demo session for the page: it asks for a token instead');
      return null;
    }
  };

  router.get('/graphql', async (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html' || req.query.query) return next();
    const page = path.join(webDist, 'graphiql/graphiql.html');
    if (!fs.existsSync(page)) {
      res.type('html').send(
        `<!doctype html><title>GraphQL</title><p>GraphiQL is not built yet (<code>npm run build:web</code>). POST GraphQL requests to this URL with <code>Authorization: Bearer &lt;token&gt;</code>; subscriptions use graphql-ws on the same path.</p>`,
      );
      return;
    }
    const token = await sessionFor();
    const html = fs.readFileSync(page, 'utf8').replace('</head>', `<script>window.__INBOX_GRAPHIQL__=${scriptJson({ token, endpoint: '/graphql' })}</script></head>`);
    noStore(res).type('html').send(html);
  });
  router.get(['/', '/index.html'], async (_req, res) => {
    noStore(res).type('html').send(dashboardPage({ token: await sessionFor() }));
  });
  router.use(
    gzipStatic(webDist),
    express.static(webDist, { index: false, fallthrough: true, setHeaders: (res, file) => res.set(assetHeaders('/' + path.relative(webDist, file).split(path.sep).join('/'))) }),
  );
  return router;
}
