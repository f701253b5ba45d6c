import { useCallback, useEffect, useRef, useState } from 'react';

const KEY = 'inbox-widget:draft:';

function read(contactId: string): string {
  try {
    return localStorage.getItem(KEY + contactId) ?? '';
  } catch {
    return '';
  }
}

function write(contactId: string, text: string): void {
  try {
    if (text) localStorage.setItem(KEY + contactId, text);
    else localStorage.removeItem(KEY + contactId);
  } catch {
    // storage full or disabled: the draft lives only in memory
  }
}

/** The composer's text for one contact, kept in localStorage so it survives switching and reloads. */
export function useDraft(contactId: string): [string, (text: string) => void] {
  const [state, setState] = useState(() => ({ contactId, text: read(contactId) }));
  const current = state.contactId === contactId ? state.text : read(contactId);
  const idRef = useRef(contactId);
  useEffect(() => {
    idRef.current = contactId;
    if (state.contactId !== contactId) setState({ contactId, text: read(contactId) });
  }, [contactId, state.contactId]);
  const set = useCallback((text: string) => {
    write(idRef.current, text);
    setState({ contactId: idRef.current, text });
  }, []);
  return [current, set];
}
