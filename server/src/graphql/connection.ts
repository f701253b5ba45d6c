import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { AppError } from '../errors.js';

/** Relay's page info: whether more follows, and the cursor to ask for it with. */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string | null;
}

/** One node of a page with its cursor. */
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
    @Field(() => Int, { description: `Number of matches; a search counts at most ${SEARCH_COUNT_LIMIT} (see totalCountIsExact)` }) totalCount!: number;
    @Field(() => Boolean, { description: `False when a search has more than ${SEARCH_COUNT_LIMIT} matches and totalCount stopped counting there ("${SEARCH_COUNT_LIMIT}+")` })
    totalCountIsExact!: boolean;
  }
  return ConnectionType;
}

/** A cursor for the `after` argument: the row's sort key, as base64url JSON. */
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

/** BAD_USER_INPUT unless `first` is an integer from 1 to `max`. */
export function checkPageSize(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${max}`, { maxPageSize: max });
  }
}

/** Longest search text: no stored message text is longer (WhatsApp's limit), so a longer one matches nothing. */
export const MAX_SEARCH_LENGTH = 4096;

/** The search text; BAD_USER_INPUT past MAX_SEARCH_LENGTH. */
export function checkSearch(search: string): string {
  if (search.length > MAX_SEARCH_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `search is longer than ${MAX_SEARCH_LENGTH} characters`, { maxSearchLength: MAX_SEARCH_LENGTH });
  }
  return search;
}

/** A LIKE pattern for the search text as a substring, wildcards escaped so it matches literally; checked as checkSearch. */
export function likePattern(search: string): string {
  return `%${checkSearch(search).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Searches count their matches up to this many: an exact count of a frequent word would read every
 * match, and a user reading "100+ results" refines the search rather than pages through them.
 */
export const SEARCH_COUNT_LIMIT = 100;

/** Whether the client selected `totalCount` or `totalCountIsExact` of the connection `info` resolves. */
export function selectsCount(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) =>
      s.kind === Kind.FIELD
        ? s.name.value === 'totalCount' || s.name.value === 'totalCountIsExact'
        : visit(s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : info.fragments[s.name.value]?.selectionSet),
    );
  return info.fieldNodes.some((f) => visit(f.selectionSet));
}

/**
 * A page as toPage makes it; the count runs only when a field resolver reads `totalCount` or
 * `totalCountIsExact`. They are class getters because getters defined per object give each page its
 * own hidden class, which V8 keeps in the old generation along with the page's rows.
 */
export class Page<T> {
  #counted?: Promise<number>;

  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: { hasNextPage: boolean; endCursor: string | null },
    private readonly count: () => Promise<number>,
    private readonly capped: boolean,
  ) {}

  #n(): Promise<number> {
    return (this.#counted ??= this.count());
  }

  #exact(k: number): boolean {
    return !this.capped || k <= SEARCH_COUNT_LIMIT;
  }

  get totalCount(): Promise<number> {
    return this.#n().then((k) => (this.#exact(k) ? k : SEARCH_COUNT_LIMIT));
  }

  get totalCountIsExact(): Promise<boolean> {
    return this.#n().then((k) => this.#exact(k));
  }
}

/**
 * Cuts a `first + 1` row fetch into a page; `count`, the costly part, runs at most once and only when
 * selected. With `capped` it is a cappedCountSql count, not exact past SEARCH_COUNT_LIMIT.
 */
export function toPage<R, T>(rows: R[], first: number, toNode: (r: R) => T, cursorOf: (r: R) => unknown[], count: () => Promise<number>, capped = false): Page<T> {
  const edges = rows.slice(0, first).map((r) => ({ cursor: encodeCursor(cursorOf(r)), node: toNode(r) }));
  return new Page(edges, { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, count, capped);
}
