import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { graphql } from '../gql';

export const CannedRepliesQuery = graphql(`
  query CannedReplies {
    cannedReplies { id shortcut text }
  }
`);

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/**
 * A canned reply's text with the placeholders it knows filled in (`{{contact.name}}`, `{{agent.name}}`);
 * unknown or empty ones stay as written, for the agent to see and fill, and are listed.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string | null | undefined>>): { text: string; unfilled: string[] } {
  const unfilled = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, key: string) => {
    const v = values[key];
    if (v) return v;
    unfilled.add(whole);
    return whole;
  });
  return { text: filled, unfilled: [...unfilled] };
}

/** The placeholders still in a text (`{{…}}`), to warn before it goes out. */
export function placeholdersIn(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[0]))];
}

/** The search a draft starting with `/` asks for ("/hel" → "hel"), or null when it is not a shortcut. */
export function slashQuery(draft: string): string | null {
  const m = /^\/(\S*)$/.exec(draft);
  return m ? m[1]! : null;
}

/** Canned replies matching `search` as the server's search does: shortcut prefix or text substring, by shortcut. */
export function useCannedReplies(search: string | null) {
  const { data } = useQuery(CannedRepliesQuery, { skip: search === null, fetchPolicy: 'cache-and-network' });
  return useMemo(() => {
    if (search === null) return [];
    const s = search.toLocaleLowerCase();
    return (data?.cannedReplies ?? []).filter((c) => c.shortcut.startsWith(s) || c.text.toLocaleLowerCase().includes(s));
  }, [data, search]);
}
