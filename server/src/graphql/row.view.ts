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

const layouts = new WeakMap<EntityMetadata, Column[]>();

function layout(meta: EntityMetadata): Column[] {
  let columns = layouts.get(meta);
  if (!columns) {
    columns = meta.props
      .filter((p) => p.fieldNames?.length === 1 && !p.formula && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
      .map((p) => ({ prop: p.name, field: p.fieldNames[0]!, ref: p.kind === ReferenceKind.MANY_TO_ONE && !p.mapToPk }));
    layouts.set(meta, columns);
  }
  return columns;
}

/**
 * A read-only object of an entity class made straight from its table's row (`select *`), for what
 * queries only read: list pages and subscription payloads. Hydrating through the EntityManager (identity
 * map, change-set snapshots, reference propagation) cost more than the query itself for a page of 50
 * (profiled: most of a `contacts(first: 50)` request). Columns become own properties, so the
 * class's getters (`name`, `isDeleted`, `error`, …) work; a many-to-one becomes a RowRef, initialized
 * with `related[prop]` when given. A view is never flushed: mutations load entities through the
 * EntityManager as before.
 */
export function rowView<T extends object>(em: EntityManager, cls: new (...args: any[]) => T, row: Row, related: Record<string, object | undefined> = {}): T {
  const view = Object.create(cls.prototype) as Row;
  for (const { prop, field, ref } of layout(em.getMetadata().get(cls.name))) {
    const v = row[field];
    // Own data properties: MikroORM's accessors on the prototype (reference propagation) never run.
    Object.defineProperty(view, prop, {
      value: ref ? (v == null ? null : new RowRef(String(v), related[prop])) : v,
      enumerable: true,
      writable: true,
    });
  }
  return view as T;
}
