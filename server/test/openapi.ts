import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** A JSON Schema node of an OpenAPI 3.1 description. */
export type Schema = Record<string, any>;

/** Meta's OpenAPI description of the Cloud API, parsed. */
export function loadDescription(path: string): Schema {
  return parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as Schema;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Words for people; ajv would only warn about the OpenAPI ones.
const ANNOTATIONS = new Set(['description', 'example', 'examples', 'title', 'deprecated', 'externalDocs']);

/**
 * The schema one value must meet, made plain for ajv: `$ref`s resolved, the branches of each
 * `allOf` merged into one schema (Meta puts `additionalProperties: false` on a branch that lists only
 * its own properties, so checked branch by branch nothing would pass), and a `discriminator`'s
 * branch picked by the value's property — recursively through the properties and items the value has.
 */
export function schemaFor(doc: Schema, schema: Schema, value: unknown, applied = new Set<Schema>()): Schema {
  if (schema.$ref) {
    const { $ref, ...rest } = schema;
    const target = pointer(doc, $ref);
    return schemaFor(doc, Object.keys(rest).length ? { allOf: [target, rest] } : target, value, applied);
  }
  if (schema.discriminator && isObject(value) && !applied.has(schema)) {
    applied.add(schema); // a branch names its parent in its allOf: the parent's choice is made
    const { discriminator, oneOf: _, anyOf: __, ...base } = schema;
    const prop = discriminator.propertyName as string;
    const target = discriminator.mapping?.[String(value[prop])];
    if (!target) return { type: 'object', required: [prop], properties: { [prop]: { enum: Object.keys(discriminator.mapping ?? {}) } } };
    return schemaFor(doc, { allOf: [base, { $ref: target }] }, value, applied);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return merge([rest, ...allOf].map((branch: Schema) => schemaFor(doc, branch, value, applied)));
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) if (!ANNOTATIONS.has(k) && k !== 'discriminator') out[k] = v;
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (schema[k]) out[k] = schema[k].map((branch: Schema) => schemaFor(doc, branch, value, new Set(applied)));
  }
  if (isObject(value) && (schema.properties || isObject(schema.additionalProperties))) {
    const props: Schema = {};
    for (const [key, sub] of Object.entries(schema.properties ?? {})) props[key] = key in value ? schemaFor(doc, sub as Schema, value[key]) : {};
    // A schema for the keys not named: each such key of the value gets it under its own name.
    if (isObject(schema.additionalProperties)) {
      for (const key of Object.keys(value)) props[key] ??= schemaFor(doc, schema.additionalProperties, value[key]);
      out.additionalProperties = false;
    }
    out.properties = props;
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    out.prefixItems = value.map((item) => schemaFor(doc, schema.items, item));
    out.items = false;
  }
  return out;
}

/** Merges plain schemas (see {@link schemaFor}) into one: properties and `required` unite, one `additionalProperties: false` closes the whole. */
export function merge(schemas: Schema[]): Schema {
  const out: Schema = {};
  const clashes: Schema[] = [];
  for (const s of schemas) {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties') {
        const props: Schema = { ...out.properties };
        for (const [name, sub] of Object.entries(v as Schema)) props[name] = name in props ? merge([props[name], sub]) : sub;
        out.properties = props;
      } else if (k === 'required') out.required = [...new Set([...(out.required ?? []), ...v])];
      else if (k === 'additionalProperties' && (v === false || out[k] === false)) out[k] = false;
      else if (!(k in out) || isDeepStrictEqual(out[k], v)) out[k] = v;
      else clashes.push({ [k]: v }); // two branches constrain one keyword: both must hold
    }
  }
  if (clashes.length) out.allOf = clashes;
  return out;
}

function pointer(doc: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are resolved, not ${ref}`);
  const node = ref.slice(2).split('/').reduce<any>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  if (!isObject(node)) throw new Error(`$ref ${ref} leads nowhere`);
  return node;
}

/**
 * A schema inferred from an example (types only; every key required, no others allowed), for
 * requests the description models only by example.
 */
export function shapeOf(example: unknown): Schema {
  if (Array.isArray(example)) return { type: 'array', items: example.length ? shapeOf(example[0]) : {} };
  if (isObject(example)) {
    const properties = Object.fromEntries(Object.entries(example).map(([k, v]) => [k, shapeOf(v)]));
    return { type: 'object', properties, required: Object.keys(example), additionalProperties: false };
  }
  return { type: example === null ? 'null' : typeof example === 'number' ? 'number' : typeof example };
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

/** The places and reasons a value fails a plain schema; empty when it passes. */
export function violations(schema: Schema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const p = e.params as { allowedValues?: unknown; additionalProperty?: string };
    const detail = p.allowedValues ? ` ${JSON.stringify(p.allowedValues)}` : p.additionalProperty ? `: ${p.additionalProperty}` : '';
    return `${e.instancePath || '/'} ${e.message}${detail}`;
  });
}
