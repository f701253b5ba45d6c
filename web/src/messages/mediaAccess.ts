import { createContext } from 'react';

// Apart from mediaUrl.ts: the shell provides it at mount, and the media code loads with the conversation.

/** Where the widget's API lives: enough to turn a relative media URL into an `<img src>`. */
export interface MediaAccess {
  /** The GraphQL endpoint (absolute); media URLs are resolved against its origin. */
  httpUrl: string;
}

/**
 * `/api/media/42?exp=…&sig=…` → `https://api.example/api/media/42?exp=…&sig=…`: the API's origin,
 * since the widget may sit on a page of another origin. The URL is signed by the API and short-lived,
 * so `<img>`/`<video>`/`<a>` need no credential and none ends up in the page.
 */
export function mediaUrl(relative: string, access: MediaAccess): string {
  return new URL(relative, new URL(access.httpUrl).origin).href;
}

/** The API the widget talks to, provided by the shell (app/mount.tsx). */
export const MediaAccessContext = createContext<MediaAccess>({ httpUrl: globalThis.location?.href ?? 'http://localhost/' });
