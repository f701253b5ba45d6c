import type { ConnectionState } from '../shared/useConnection';

const TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling every 5 s',
  offline: 'Offline',
};

const TITLE: Record<ConnectionState, string> = {
  connecting: 'Connecting to the server',
  live: 'Live: updates arrive as they happen',
  polling: 'Live updates are down; checking for new messages every 5 seconds',
  offline: 'The server can’t be reached; retrying',
};

/** Live / polling / offline, as a dot and a word (never colour alone). */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span className={`iw-conn iw-conn--${state}`} role="status" title={TITLE[state]} data-state={state}>
      <span className="iw-conn-dot" aria-hidden="true" />
      <span className="iw-sr">Connection: </span>
      {TEXT[state]}
    </span>
  );
}
