import { ReferenceKind, type EntityManager, type EntityMetadata } from '@mikro-orm/core';

type Row = Record<string, any>;

/**
 * A many-to-one relation of a row view: the related id, and the related object when it was read
 * along. It answers the part of MikroORM's `Ref` that resolvers use (`id`, `isInitialized()`,
 * `unwrap()`), so a field resolver serves entities and views alike.
 */
export class RowRef<T> {
  constructor(
    readonly id: string,
    private readonly loaded?: T,
  ) {}

  isInitialized(): boolean {
    return this.loaded !== undefined;
  }

  unwrap(): T {
    if (this.loaded === undefined) throw new Error(`row ${this.id} was not read along`);
    return this.loaded;
  }
}

interface Column {
  prop: string;
  field: string;
  ref: boolean;
}

interface Layout {
  columns: Column[];
  /**
   * The views' prototype: the entity class's, under a layer of plain writable properties for every
   * column. MikroORM puts accessors for each property on the class's prototype; with this layer in
   * between, assigning a column to a view makes a plain own property and those accessors never run.
   */
  proto: object;
}

const layouts = new WeakMap<EntityMetadata, Layout>();

function layout(meta: EntityMetadata, cls: { prototype: object }): Layout {
  let found = layouts.get(meta);
  if (!found) {
    const columns = meta.props
      .filter((p) => p.fieldNames?.length === 1 && !p.formula && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
      .map((p) => ({ prop: p.name, field: p.fieldNames[0]!, ref: p.kind === ReferenceKind.MANY_TO_ONE && !p.mapToPk }));
    const proto = Object.create(cls.prototype);
    for (const { prop } of columns) Object.defineProperty(proto, prop, { value: undefined, writable: true });
    layouts.set(meta, (found = { columns, proto }));
  }
  return found;
}

/**
 * A read-only object of an entity class made straight from its table's row (`select *`), for what
 * queries only read: list pages and subscription payloads. Hydrating through the EntityManager (identity
 * map, change-set snapshots, reference propagation) cost more than the query itself for a page of 50
 * (profiled: most of a `contacts(first: 50)` request). Columns become own properties (see Layout), so
 * the class's getters (`name`, `isDeleted`, `error`, …) work; a many-to-one becomes a RowRef, initialized
 * with `related[prop]` when given. A view is never flushed: mutations load entities through the
 * EntityManager as before.
 */
export function rowView<T extends object>(em: EntityManager, cls: new (...args: any[]) => T, row: Row, related: Record<string, object | undefined> = {}): T {
  const { columns, proto } = layout(em.getMetadata().get(cls.name), cls);
  const view = Object.create(proto) as Row;
  for (const { prop, field, ref } of columns) {
    const v = row[field];
    view[prop] = ref ? (v == null ? null : new RowRef(String(v), related[prop])) : v;
  }
  return view as T;
}
