import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AppError } from '../errors.js';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A Relay connection type (`edges { cursor node }`, `pageInfo`, `totalCount`) for `Node`. */
export function Connection<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => Node) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: Edge<T>[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType;
}

export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor, checking its shape; BAD_USER_INPUT otherwise. */
export function decodeCursor(cursor: string, check: (parts: unknown[]) => boolean): unknown[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && check(parts)) return parts;
  } catch {
    /* fall through */
  }
  throw new AppError('BAD_USER_INPUT', 'invalid cursor in `after`');
}

export function checkPageSize(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${max}`, { maxPageSize: max });
  }
}

/** Longest search text: no stored message text is longer (WhatsApp's limit), so a longer one matches nothing. */
export const MAX_SEARCH_LENGTH = 4096;

/** Escapes LIKE wildcards so user text matches literally; BAD_USER_INPUT past MAX_SEARCH_LENGTH. */
export function likePattern(search: string): string {
  if (search.length > MAX_SEARCH_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `search is longer than ${MAX_SEARCH_LENGTH} characters`, { maxSearchLength: MAX_SEARCH_LENGTH });
  }
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Cuts a `first + 1` row fetch into a page. `totalCount` may be a function: it then runs only when
 * the client selects `totalCount` (counting every match is the costly part of a page), at most once.
 */
export function toPage<R, T>(rows: R[], first: number, toNode: (r: R) => T, cursorOf: (r: R) => unknown[], totalCount: number | (() => Promise<number>)) {
  const page = rows.slice(0, first);
  const edges = page.map((r) => ({ cursor: encodeCursor(cursorOf(r)), node: toNode(r) }));
  const result = { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  let counted: Promise<number> | undefined;
  // Field resolvers read `root.totalCount`: a getter defers the count until then.
  return Object.defineProperty(result, 'totalCount', {
    enumerable: true,
    get: () => (typeof totalCount === 'number' ? totalCount : (counted ??= totalCount())),
  }) as typeof result & { totalCount: number | Promise<number> };
}
