import { createContext, useContext, useSyncExternalStore } from 'react';

/**
 * The widget's link to the server as the agent sees it: `live` while the websocket is up,
 * `polling` while it is down but HTTP answers (queries poll every 5 s), `offline` when neither
 * answers, `connecting` before the first answer.
 */
export type ConnectionState = 'connecting' | 'live' | 'polling' | 'offline';

/** Where the state comes from: the shell's ConnectionMonitor, provided through ConnectionContext. */
export interface ConnectionSource {
  subscribe(listener: () => void): () => void;
  getState(): ConnectionState;
}

export const POLL_INTERVAL_MS = 5_000;

// Outside a provider (component tests) the state stays `connecting`, as with a monitor that never hears back.
const NOT_CONNECTED: ConnectionSource = { subscribe: () => () => undefined, getState: () => 'connecting' };

export const ConnectionContext = createContext<ConnectionSource>(NOT_CONNECTED);

export function useConnectionState(): ConnectionState {
  const m = useContext(ConnectionContext);
  return useSyncExternalStore(m.subscribe, m.getState, m.getState);
}

/** 0 while subscriptions deliver; every 5 s while the websocket is down. */
export function usePollInterval(): number {
  const s = useConnectionState();
  return s === 'polling' || s === 'offline' ? POLL_INTERVAL_MS : 0;
}
