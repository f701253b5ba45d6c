import { createContext, useContext } from 'react';

/** What the caller may do, as the server's `me` says; the widget hides the rest. */
export interface Permissions {
  /** `me` has answered; until then nothing that needs a scope shows, and no "read only" note either. */
  known: boolean;
  /** SEND: reply, send templates, mark read, pin, close, rename and tag contacts. */
  send: boolean;
  /** ADMIN: block and unblock contacts, assign conversations to anyone. */
  admin: boolean;
  /** The caller's agent (a session); null for a key. Conversations assigned to it are "Mine". */
  agentId: string | null;
}

// Outside a provider (component tests) everything shows; the server refuses what a caller may not do anyway.
export const PermissionsContext = createContext<Permissions>({ known: true, send: true, admin: true, agentId: null });

export function usePermissions(): Permissions {
  return useContext(PermissionsContext);
}
