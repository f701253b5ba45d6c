import { createContext, useContext } from 'react';

/** Where the widget's API lives and how it signs in: enough to turn a relative media URL into an `<img src>`. */
export interface MediaAccess {
  /** The GraphQL endpoint (absolute); media URLs are resolved against its origin. */
  httpUrl: string;
  token: string;
}

/**
 * `/api/media/42` → `https://api.example/api/media/42?token=…`: the API's origin (the widget may sit
 * on a page of another origin) and the token as a query parameter, since `<img>`/`<video>`/`<a>`
 * can't send an Authorization header.
 */
export function mediaUrl(relative: string, access: MediaAccess): string {
  const url = new URL(relative, new URL(access.httpUrl).origin);
  if (access.token) url.searchParams.set('token', access.token);
  return url.href;
}

export const MediaAccessContext = createContext<MediaAccess>({ httpUrl: globalThis.location?.href ?? 'http://localhost/', token: '' });

/** Resolves a media message's relative `url` with the widget's endpoint and token. */
export function useMediaUrl(): (relative: string) => string {
  const access = useContext(MediaAccessContext);
  return (relative) => mediaUrl(relative, access);
}
