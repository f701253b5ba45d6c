import { InMemoryCache, type Cache, type FieldPolicy, type Reference, type StoreObject } from '@apollo/client';
import { graphql } from '../gql';

interface Edge { cursor: string; node: Reference }
interface Conn { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number }

/**
 * Relay-style connection merged by node: a page with `after` appends older items, a page without
 * it (first load, poll, refetch after reconnect, live insert) adds what is new and keeps the older
 * pages already loaded. Order is applied where the list is rendered.
 */
export function connectionPolicy(keyArgs: string[]): FieldPolicy<Conn> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      if (!existing) return incoming;
      const seen = new Set<string>();
      const edges: Edge[] = [];
      const add = (e: Edge) => {
        if (seen.has(e.node.__ref)) return;
        seen.add(e.node.__ref);
        edges.push(e);
      };
      if (args?.after) {
        existing.edges.forEach(add);
        incoming.edges.forEach(add);
        return { ...incoming, edges };
      }
      incoming.edges.forEach(add);
      existing.edges.forEach(add);
      const keepOlder = edges.length > incoming.edges.length && existing.pageInfo;
      return { ...incoming, edges, pageInfo: keepOlder ? existing.pageInfo : incoming.pageInfo };
    },
  };
}

const MessageRevision = graphql(`
  fragment MessageRevision on Message {
    revision
  }
`);

/**
 * Copies of a message can arrive out of order: a send's answer after the frames for the statuses
 * that followed it, a poll's page after a frame. Each Message carries its revision; a copy older
 * than the cached one is written (the result may select fields the cache lacks), then the newer
 * values it overwrote are put back, in one broadcast. A message the customer read never shows as
 * pending again. (A type policy's merge cannot do this: normalized objects are merged field by field.)
 */
class InboxCache extends InMemoryCache {
  override write(options: Cache.WriteOptions): Reference | undefined {
    const stale = this.olderMessages(options.result);
    if (stale.length === 0) return super.write(options);
    let ref: Reference | undefined;
    this.batch({
      update: () => {
        const newer = stale.map((id) => [id, this.storedFields(id)] as const);
        ref = super.write(options);
        for (const [id, fields] of newer) {
          this.modify({ id, fields: (value, { storeFieldName }) => (storeFieldName in fields ? fields[storeFieldName] : value) });
        }
      },
    });
    return ref;
  }

  /**
   * Ids of the messages in a result whose cached copy has a higher revision. Only selected objects
   * (each has a __typename) are looked into, not the JSON scalars they carry (`payload`, `raw`).
   */
  private olderMessages(result: unknown): string[] {
    const out: string[] = [];
    const visit = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (!v || typeof v !== 'object' || typeof (v as StoreObject).__typename !== 'string') return;
      const o = v as Record<string, unknown>;
      if (o.__typename === 'Message' && typeof o.revision === 'number') {
        const id = this.identify(o as StoreObject);
        const cached = id ? this.readFragment({ id, fragment: MessageRevision }) : null;
        if (id && cached && cached.revision > o.revision) out.push(id);
      }
      for (const child of Object.values(o)) visit(child);
    };
    // An operation's root (the result of a query, mutation or subscription) has no __typename.
    if (result && typeof result === 'object' && !('__typename' in result)) Object.values(result).forEach(visit);
    else visit(result);
    return out;
  }

  /** An entity's fields as stored (read through modify, which changes nothing when every value is kept). */
  private storedFields(id: string): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    this.modify({
      id,
      fields: (value, { storeFieldName }) => {
        fields[storeFieldName] = value;
        return value;
      },
    });
    return fields;
  }
}

/** The widget's normalized cache; it sits below the feature folders, whose paging relies on its connection policies. */
export function createCache() {
  return new InboxCache({
    typePolicies: {
      Query: {
        fields: {
          messages: connectionPolicy(['contactId', 'search']),
          notes: connectionPolicy(['contactId']),
          contacts: connectionPolicy(['search', 'pinned', 'blocked', 'tag', 'assignee']),
          contact: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Contact', id: args.id }) : undefined) },
        },
      },
      Contact: { fields: { tags: { merge: false } } },
      // Stats has no id: keep the one object and replace its fields.
      Stats: { keyFields: [] },
      // The caller, asked with different fields by different parts (permissions, notes): one object.
      Me: { keyFields: [] },
    },
  });
}
