import { ReferenceKind, type EntityManager, type EntityMetadata } from '@mikro-orm/core';

type Row = Record<string, any>;

/** A row view's many-to-one: the part of MikroORM's `Ref` resolvers use, so they serve entities and views alike. */
export class RowRef<T> {
  constructor(
    readonly id: string,
    private readonly loaded?: T,
  ) {}

  /** Whether the related object was read along. */
  isInitialized(): boolean {
    return this.loaded !== undefined;
  }

  /** The related object; throws when it was not read along. */
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
 * Compiles a view maker that assigns each column by name, so every view of a class shares one hidden
 * class; assigned in a loop by computed name, V8 turns objects of a dozen properties into hash tables.
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
    // A layer of plain writable properties over the class's prototype, so assigning a column makes an
    // own property and MikroORM's accessors on the prototype never run.
    const proto = Object.create(cls.prototype);
    for (const { prop } of columns) Object.defineProperty(proto, prop, { value: undefined, writable: true });
    makers.set(meta, (make = compileView(columns, proto)));
  }
  return make;
}

/** An object of these properties (all null) to copy rows from (`{ ...shape }`), so they share one hidden class rather than become hash tables. */
export function rowShape(names: string[]): Row {
  const shape: Row = {};
  for (const name of names) shape[name] = null;
  return { ...shape };
}

/**
 * A read-only object of an entity class made straight from its row (list pages, subscription
 * payloads), skipping the EntityManager's identity map and snapshots. The class's getters work; a
 * many-to-one is a RowRef holding the view of `related[prop]` when given. Never flushed.
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
