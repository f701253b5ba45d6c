import { isReference } from '@apollo/client';
import { getApolloContext } from '@apollo/client/react';
import { useCallback, useContext, useRef, useState } from 'react';
import { graphql } from '../gql';
import { MediaAccessContext, mediaUrl } from './mediaAccess';

export { MediaAccessContext, mediaUrl, type MediaAccess } from './mediaAccess';

/** When a signed media URL stops working (epoch ms), from its `exp`; null when it says nothing. */
export function mediaUrlExpiry(url: string): number | null {
  const exp = new URL(url, 'http://x').searchParams.get('exp');
  return exp && /^\d+$/.test(exp) ? Number(exp) * 1000 : null;
}

/**
 * Whether a signed media URL has expired, or nearly: a download started in its last seconds could
 * be refused midway. URLs without an expiry never expire here.
 */
export function mediaUrlExpired(url: string, now = Date.now()): boolean {
  const expiry = mediaUrlExpiry(url);
  return expiry != null && expiry <= now + 5000;
}

export const MediaUrlQuery = graphql(`
  query MediaUrl($messageId: ID!) {
    mediaUrl(messageId: $messageId)
  }
`);

/** The file of a message: its absolute URL now, and how to get a fresh one once that has expired. */
export interface MediaSource {
  src: string;
  /**
   * Asks the API for a fresh URL when the current one has expired (a page left open for a while)
   * and resolves with it; null when the current one is still valid, the API has none, or the
   * widget has no client (then nothing is asked).
   */
  renew(): Promise<string | null>;
}

/**
 * The absolute URL of a message's file (`relative` as `MessageMedia.url` gave it). A renewed URL
 * is written into the cached message too, so every copy of it and a remounted bubble show it.
 */
export function useMediaSource(messageId: string, relative: string): MediaSource {
  const access = useContext(MediaAccessContext);
  // Not useApolloClient: a bubble rendered without a client (tests, previews) still shows its media.
  const client = useContext(getApolloContext()).client;
  const [renewed, setRenewed] = useState<{ from: string; to: string } | null>(null);
  const inFlight = useRef<Promise<string | null> | null>(null);
  // A newer URL from the API (a refetch, the cache write below) replaces a renewed one.
  const src = renewed?.from === relative ? renewed.to : mediaUrl(relative, access);

  const renew = useCallback((): Promise<string | null> => {
    if (!client || !mediaUrlExpired(src)) return Promise.resolve(null);
    inFlight.current ??= client
      .query({ query: MediaUrlQuery, variables: { messageId }, fetchPolicy: 'network-only' })
      .then(({ data }) => {
        const fresh = data?.mediaUrl;
        if (!fresh) return null;
        const id = client.cache.identify({ __typename: 'Message', id: messageId });
        if (id) {
          client.cache.modify({
            id,
            fields: { media: (m) => (m && typeof m === 'object' && !isReference(m) ? { ...m, url: fresh } : m) },
          });
        }
        setRenewed({ from: relative, to: mediaUrl(fresh, access) });
        return mediaUrl(fresh, access);
      })
      .catch(() => null)
      .finally(() => {
        inFlight.current = null;
      });
    return inFlight.current;
  }, [client, src, messageId, relative, access]);

  return { src, renew };
}
