import {
  defaultFieldResolver, getNamedType, GraphQLError, GraphQLID, isInputObjectType, isListType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLInputType, type GraphQLSchema,
} from 'graphql';
import type { Context } from '../context.js';
import { clientError } from '../graphql/guards.js';
import type { Principal } from '../identity/principal.js';
import { AuditOutcome, AuditPrincipalKind } from './audit-entry.entity.js';
import type { NewAuditEntry } from './audit.repository.js';

/** Most ids one entry keeps: a bulk send's recipients are not listed one by one, its own id is. */
export const MAX_TARGET_IDS = 50;
const REFUSALS = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * A mutation's `@Extensions(AUDIT_REFUSALS_ONLY)`: a signal that changes nothing kept (typing) is
 * recorded only when refused, so a keystroke costs no database write.
 */
export const AUDIT_REFUSALS_ONLY = { audit: 'refusals-only' } as const;

type Collect = (value: unknown, out: Set<string>) => void;

/**
 * Records every mutation of `schema` in the audit log: wraps each Mutation field's resolver, which
 * type-graphql built with the `@Authorized` check inside, so refusals are seen too. Generic by field:
 * a mutation added later is recorded without naming it here. Queries, subscriptions and the fields
 * of results are left as they are (a global middleware would wrap every field of every list).
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const ids = targetIdsOf(field);
    const action = field.name;
    const refusalsOnly = field.extensions?.audit === AUDIT_REFUSALS_ONLY.audit;
    field.resolve = async (root, args, ctx: Context, info) => {
      const at = new Date();
      try {
        const result = await resolve(root, args, ctx, info);
        if (!refusalsOnly) ctx.services.audit.record(entry(ctx.principal, action, at, ids(args, result), AuditOutcome.ALLOWED, null));
        return result;
      } catch (err) {
        const code = errorCode(err);
        const refused = REFUSALS.has(code);
        if (refused || !refusalsOnly) ctx.services.audit.record(entry(ctx.principal, action, at, ids(args, undefined), refused ? AuditOutcome.REFUSED : AuditOutcome.FAILED, code));
        throw err;
      }
    };
  }
  return schema;
}

function entry(p: Principal | undefined, action: string, at: Date, targetIds: string[], outcome: AuditOutcome, errorCode: string | null): NewAuditEntry {
  const who = !p
    ? { principalKind: AuditPrincipalKind.NONE, principalId: null, principalName: '' }
    : { principalKind: p.kind === 'agent' ? AuditPrincipalKind.AGENT : AuditPrincipalKind.KEY, principalId: p.id, principalName: p.name };
  return { at, ...who, action, targetIds, outcome, errorCode };
}

/** The code the client sees for `err` (as formatError makes it): database errors are masked the same way. */
function errorCode(err: unknown): string {
  const code = err instanceof GraphQLError ? err.extensions?.code : undefined;
  const formatted = { message: '', extensions: typeof code === 'string' ? { code } : { code: 'INTERNAL_SERVER_ERROR' } };
  return String(clientError(formatted, err).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/**
 * Reads the ids of one call, by the schema's types only: arguments typed ID (in inputs too) and the
 * result's id. Texts, phone numbers and names are Strings, never read.
 */
function targetIdsOf(field: GraphQLField<unknown, Context>): (args: Record<string, unknown>, result: unknown) => string[] {
  const fromArgs = field.args.flatMap((a) => {
    const collect = idCollector(a.type, a.name, 0);
    return collect ? [(args: Record<string, unknown>, out: Set<string>) => collect(args[a.name], out)] : [];
  });
  const fromResult = resultCollector(field);
  return (args, result) => {
    const out = new Set<string>();
    if (result !== undefined) fromResult(result, out);
    for (const read of fromArgs) read(args, out);
    return [...out].slice(0, MAX_TARGET_IDS);
  };
}

function idCollector(type: GraphQLInputType, name: string, depth: number): Collect | null {
  if (isNonNullType(type)) return idCollector(type.ofType, name, depth);
  if (isListType(type)) {
    const each = idCollector(type.ofType, name, depth);
    // A bulk send's 100,000 recipients: read until the entry is full, not to the end.
    return each && ((v, out) => {
      if (!Array.isArray(v)) return;
      for (const x of v) {
        if (out.size >= MAX_TARGET_IDS) return;
        each(x, out);
      }
    });
  }
  if (type === GraphQLID) return (v, out) => v != null && out.add(`${name}:${String(v)}`);
  if (!isInputObjectType(type) || depth > 3) return null;
  const fields = Object.values(type.getFields()).flatMap((f) => {
    const collect = idCollector(f.type, f.name, depth + 1);
    return collect ? [{ name: f.name, collect }] : [];
  });
  if (!fields.length) return null;
  return (v, out) => {
    if (v == null || typeof v !== 'object') return;
    for (const f of fields) f.collect((v as Record<string, unknown>)[f.name], out);
  };
}

/**
 * `Type:id` of the result; for a result without an id of its own (a new key with its ApiKey, a
 * session with its Agent), of its fields that are objects with one.
 */
function resultCollector(field: GraphQLField<unknown, Context>): Collect {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return () => undefined;
  const hasId = (t: unknown) => isObjectType(t) && getNamedType(t.getFields().id?.type) === GraphQLID;
  const own = hasId(type);
  const nested = own ? [] : Object.values(type.getFields()).filter((f) => !isListType(isNonNullType(f.type) ? f.type.ofType : f.type) && hasId(getNamedType(f.type)));
  const add = (typeName: string, v: unknown, out: Set<string>) => {
    const id = v && typeof v === 'object' ? (v as { id?: unknown }).id : undefined;
    if (typeof id === 'string' || typeof id === 'number') out.add(`${typeName}:${id}`);
  };
  return (result, out) => {
    if (!result || typeof result !== 'object') return;
    if (own) add(type.name, result, out);
    for (const f of nested) add(getNamedType(f.type).name, (result as Record<string, unknown>)[f.name], out);
  };
}
