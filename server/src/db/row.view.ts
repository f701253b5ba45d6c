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

/** Makes the view of a row, many-to-ones initialized with `related[prop]` when given (see rowView). */
type MakeView = (row: Row, related: Record<string, object | undefined>) => Row;

/**
 * A function making a view with the columns' properties assigned by name, in the same order every
 * time. Assigned in a loop by computed name (`view[prop] = …`), V8 turns an object into a hash table
 * after a dozen properties: a message view (37 properties) was one, larger and slower to read. With
 * readContactRows' rows (rowShape), that took the young-generation collections under search traffic
 * from 366–395 ms to 230–238 ms per 300 requests. Assigned by name, every view of a class shares one
 * hidden class. The names are the entity's own property and column names, written as JSON strings.
 */
function compileView(columns: Column[], proto: object): MakeView {
  const lines = columns.map(({ prop, field, ref }) => {
    const to = `v[${JSON.stringify(prop)}]`;
    const from = `row[${JSON.stringify(field)}]`;
    return ref ? `x = ${from}; ${to} = x == null ? null : new RowRef(String(x), related[${JSON.stringify(prop)}]);` : `${to} = ${from};`;
  });
  return new Function('proto', 'RowRef', `return function view(row, related) {\n  const v = Object.create(proto);\n  let x;\n  ${lines.join('\n  ')}\n  return v;\n};`)(proto, RowRef);
}

const makers = new WeakMap<EntityMetadata, MakeView>();

function viewMaker(meta: EntityMetadata, cls: { prototype: object }): MakeView {
  let make = makers.get(meta);
  if (!make) {
    const columns = meta.props
      .filter((p) => p.fieldNames?.length === 1 && !p.formula && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
      .map((p) => ({ prop: p.name, field: p.fieldNames[0]!, ref: p.kind === ReferenceKind.MANY_TO_ONE && !p.mapToPk }));
    // The views' prototype: the entity class's, under a layer of plain writable properties for every
    // column. MikroORM puts accessors for each property on the class's prototype; with this layer in
    // between, assigning a column to a view makes a plain own property and those accessors never run.
    const proto = Object.create(cls.prototype);
    for (const { prop } of columns) Object.defineProperty(proto, prop, { value: undefined, writable: true });
    makers.set(meta, (make = compileView(columns, proto)));
  }
  return make;
}

/**
 * An object with these properties (all null), for rows to be copied from (`{ ...shape }`) and filled
 * in, as pg makes its rows: properties added one by one under computed names turn an object into a
 * hash table past a dozen (a message has 36), while copies of this one share one hidden class.
 */
export function rowShape(names: string[]): Row {
  const shape: Row = {};
  for (const name of names) shape[name] = null;
  return { ...shape };
}

/**
 * A read-only object of an entity class made straight from its table's row, the one way rows read
 * by SQL become entities: list pages and subscription payloads, where hydrating through the
 * EntityManager (identity map, change-set snapshots) cost more than the query itself. Columns become
 * own properties, so the class's getters (`name`, `isDeleted`, `error`, …) work; a many-to-one
 * becomes a RowRef, initialized with the view of `related[prop]` (the related row) when given. A
 * view is never flushed: mutations load entities through the EntityManager.
 */
export function rowView<T extends object>(em: EntityManager, cls: new (...args: any[]) => T, row: Row, related: Record<string, Row | undefined> = {}): T {
  const meta = em.getMetadata().get(cls.name);
  const views: Record<string, object | undefined> = {};
  for (const prop in related) {
    const r = related[prop];
    const target = meta.properties[prop as keyof typeof meta.properties]?.targetMeta;
    if (r && target) views[prop] = viewMaker(target, target.class)(r, {});
  }
  return viewMaker(meta, cls)(row, views) as T;
}
