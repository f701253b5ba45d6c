import { createContext, useContext, useSyncExternalStore } from 'react';
import { POLL_INTERVAL_MS } from '../config';
import { ConnectionMonitor, type ConnectionState } from '../connection';

export const ConnectionContext = createContext<ConnectionMonitor>(new ConnectionMonitor());

export function useConnectionState(): ConnectionState {
  const m = useContext(ConnectionContext);
  return useSyncExternalStore(m.subscribe, m.getState, m.getState);
}

/** 0 while subscriptions deliver; every 5 s while the websocket is down. */
export function usePollInterval(): number {
  const s = useConnectionState();
  return s === 'polling' || s === 'offline' ? POLL_INTERVAL_MS : 0;
}
