import { ReferenceKind, type EntityMetadata, type MetadataStorage } from '@mikro-orm/core';

let metadata: MetadataStorage | undefined;
const lists = new Map<string, string>();

/** Makes the entities' metadata the source of SQL column lists (initOrm calls it). */
export function useMetadata(storage: MetadataStorage): void {
  metadata = storage;
  lists.clear();
}

/** The metadata of an entity, by class name. */
export function entityMeta(entity: string): EntityMetadata {
  if (!metadata) throw new Error('the ORM has not been initialised: no entity metadata');
  return metadata.get(entity);
}

/**
 * The columns an entity's rows are read with: every column property and many-to-one, but lazy ones
 * (message's search_vector, the word index's copy of its words, which nothing here reads).
 */
export function readColumns(meta: EntityMetadata): string[] {
  return meta.props
    .filter((p) => p.fieldNames?.length === 1 && !p.lazy && !p.formula && p.persist !== false && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
    .map((p) => p.fieldNames[0]!);
}

/** readColumns of an entity as a select list, each qualified with `alias` when given; made once. */
export function selectList(entity: string, alias?: string): string {
  const key = `${entity}\n${alias ?? ''}`;
  let list = lists.get(key);
  if (list === undefined) {
    list = readColumns(entityMeta(entity)).map((c) => (alias ? `${alias}."${c}"` : `"${c}"`)).join(', ');
    lists.set(key, list);
  }
  return list;
}

const defs = new Map<string, string>();

/**
 * `column type, …` of some of an entity's columns, typed as the entity maps them: the record type of
 * a `jsonb_to_recordset($1) as x(…)` that carries rows into a set-wise statement.
 */
export function columnDefs(entity: string, columns: readonly string[]): string {
  const key = `${entity}\n${columns.join(',')}`;
  let list = defs.get(key);
  if (list === undefined) {
    const meta = entityMeta(entity);
    const types = new Map(meta.props.flatMap((p) => (p.fieldNames ?? []).map((f, i) => [f, p.columnTypes?.[i]] as const)));
    list = columns
      .map((c) => {
        const type = c === meta.primaryKeys[0] ? 'bigint' : types.get(c);
        if (!type) throw new Error(`${entity} maps no column ${c}`);
        return `${c} ${type}`;
      })
      .join(', ');
    defs.set(key, list);
  }
  return list;
}
