import { createContext, useContext } from 'react';

/** What the caller may do, as the server's `me` says; the widget hides the rest. */
export interface Permissions {
  /** `me` has answered; until then nothing that needs a scope shows, and no "read only" note either. */
  known: boolean;
  /** SEND: reply, send templates, mark read, pin, close, rename and tag contacts. */
  send: boolean;
  /** ADMIN: block and unblock contacts. */
  admin: boolean;
}

// Outside a provider (component tests) everything shows; the server refuses what a caller may not do anyway.
export const PermissionsContext = createContext<Permissions>({ known: true, send: true, admin: true });

export function usePermissions(): Permissions {
  return useContext(PermissionsContext);
}
