/**
 * GraphiQL for the inbox API, bundled from the graphiql package (no CDN). The server injects
 * `window.__INBOX_GRAPHIQL__ = { token }` in demo mode, so the Authorization header is prefilled.
 * Subscriptions go over graphql-ws with the header from the headers editor as `connection_init`.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts, type FetcherParams } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { Kind, parse, type DocumentNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

declare global {
  interface Window {
    __INBOX_GRAPHIQL__?: { token?: string | null; endpoint?: string };
  }
}

const cfg = window.__INBOX_GRAPHIQL__ ?? {};
const url = new URL(cfg.endpoint ?? '/graphql', location.href);
const wsUrl = new URL(url.href);
wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

/**
 * One fetcher (and websocket) per Authorization header, so editing the header re-authenticates
 * subscriptions. GraphiQL's first introspection runs before the headers editor is read; it gets
 * the page's token as a default header.
 */
const fetchers = new Map<string, Fetcher>();
const fetcherFor = (authorization: string, asDefault: boolean): Fetcher => {
  const key = `${asDefault}:${authorization}`;
  let f = fetchers.get(key);
  if (!f) {
    f = createGraphiQLFetcher({
      url: url.href,
      headers: asDefault && authorization ? { authorization } : {},
      wsClient: createClient({ url: wsUrl.href, lazy: true, connectionParams: { authorization } }),
    });
    fetchers.set(key, f);
  }
  return f;
};
/**
 * GraphiQL parses the editor a moment after each change, so a query typed and run at once went out
 * with the previous document's operation name ("Unknown operation named …") and, judged by the
 * previous document, a subscription over HTTP instead of the websocket. The request is matched to
 * its own text here: the document is parsed again, and a document of one operation is sent with
 * that operation's name (with several, GraphiQL's choice stands).
 */
const current = (params: FetcherParams, opts: FetcherOpts | undefined): [FetcherParams, FetcherOpts] => {
  let documentAST: DocumentNode;
  try {
    documentAST = parse(params.query);
  } catch {
    return [params, opts ?? {}]; // the server explains the syntax error
  }
  const operations = documentAST.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operationName = operations.length === 1 ? (operations[0].name?.value ?? null) : params.operationName;
  return [{ ...params, operationName }, { ...opts, documentAST }];
};

const fetcher: Fetcher = (raw, rawOpts) => {
  const [params, opts] = current(raw, rawOpts);
  const headers = (opts?.headers ?? {}) as Record<string, string>;
  const fromEditor = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return fromEditor != null ? fetcherFor(fromEditor, false)(params, opts) : fetcherFor(cfg.token ? `Bearer ${cfg.token}` : '', true)(params, opts);
};

const headers = cfg.token ? JSON.stringify({ Authorization: `Bearer ${cfg.token}` }, null, 2) : JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2);
const defaultQuery = `# The inbox API. Try a query, or a subscription (it runs over graphql-ws):
#
# subscription { messageAdded { text direction contact { name } } }

query Inbox {
  contacts(first: 10) {
    totalCount
    edges { node { id name unreadCount lastMessage { text status } } }
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} initialHeaders={headers} defaultHeaders={headers} defaultQuery={defaultQuery} />
  </StrictMode>,
);
