import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import type { Client } from 'graphql-ws';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MediaAccessContext } from '../messages/mediaAccess';
import { ConnectionContext } from '../shared/useConnection';
import { createApolloClient, deferredLink } from './apollo';
import { resolveOptions, tokenSource, type WidgetOptions } from './config';
import { ConnectionMonitor } from './connection';
import { PermissionsProvider } from './Permissions';
import { Widget } from './Widget';
import { attachStyles } from '../ui/styles';
import './styles';

export interface MountedWidget {
  client: ApolloClient;
  /** Closes the websocket, stops queries and renewals, and removes the widget. */
  unmount(): void;
}

/** Media links carry the token, so they follow it when a session is renewed. */

/**
 * Mounts the widget inside `element` (usually `document.body`). It lives in its own Shadow DOM:
 * the page's CSS can't reach in, and its CSS can't leak out.
 */
export function mount(element: Element, options: WidgetOptions = {}): MountedWidget {
  const resolved = resolveOptions(options);
  const tokens = tokenSource(options);
  const host = document.createElement('inbox-widget');
  element.appendChild(host);
  const shadow = host.attachShadow({ mode: 'open' });
  const container = document.createElement('div');
  shadow.append(container);
  const detachStyles = attachStyles(shadow);

  const monitor = new ConnectionMonitor();
  // The websocket's code arrives after the first paint (apollo.ts, deferredLink).
  let gone = false;
  let socket: Client | undefined;
  const load = () =>
    import('./ws').then((m) => {
      if (gone) throw new Error('InboxWidget: unmounted');
      const ws = m.createWsLink(resolved, monitor, tokens);
      socket = ws.client;
      return ws.link;
    });
  const client = createApolloClient(resolved, monitor, deferredLink(load, monitor), tokens);
  const offReconnect = monitor.onReconnect(() => void client.refetchObservableQueries());
  const root = createRoot(container);
  root.render(
    <StrictMode>
      <ApolloProvider client={client}>
        <ConnectionContext.Provider value={monitor}>
          <PermissionsProvider>
            <MediaAccessContext.Provider value={{ httpUrl: resolved.httpUrl }}>
              <Widget options={resolved} />
            </MediaAccessContext.Provider>
          </PermissionsProvider>
        </ConnectionContext.Provider>
      </ApolloProvider>
    </StrictMode>,
  );
  return {
    client,
    unmount() {
      root.unmount();
      offReconnect();
      tokens.dispose();
      detachStyles();
      gone = true;
      void socket?.dispose();
      client.stop();
      host.remove();
    },
  };
}
