import type { GraphQLResolveInfo } from 'graphql';
import { Authorized, Arg, Args, ArgsType, Ctx, Field, ID, Info, InputType, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { checkPageSize, Connection, decodeCursor, selectsCount, toPage } from '../graphql/connection.js';
import { readPage } from '../search/page.js';
import { loadRow } from '../db/row.loader.js';
import { rowView } from '../db/row.view.js';
import { type Topics } from '../pubsub/topics.js';
import { contactSearch, contactsSql, readContactRows } from '../search/contact.search.js';
import { Contact } from './contact.entity.js';
import { can, Scope, type Principal } from '../identity/principal.js';

/** The `contacts` page type. */
export const ContactConnection = Connection(Contact, 'Contact');

@ArgsType()
class ContactsArgs {
  @Field(() => String, { nullable: true, description: 'Part of the name, phone number or username, or words of the conversation: every word in the contact\'s messages, in one or spread over several (words as messages(search:) takes them). One or two characters match the start of a word of the name, number or username ("lo" finds "Ada Lovelace", not "Carlos"); longer text matches anywhere in them, in any case.' }) search?: string;
  @Field(() => Boolean, { nullable: true }) pinned?: boolean;
  @Field(() => Boolean, { nullable: true }) blocked?: boolean;
  @Field(() => String, { nullable: true }) tag?: string;
  @Field(() => String, { nullable: true, description: "ME (the caller's conversations), NONE (unassigned ones) or an agent's id" }) assignee?: string;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@ArgsType()
class ContactLookupArgs {
  @Field(() => ID, { nullable: true }) id?: string;
  @Field(() => String, { nullable: true, description: 'Phone number' }) waId?: string;
  @Field(() => String, { nullable: true, description: 'Business-scoped user id (BSUID)' }) userId?: string;
}

/** What updateContact may change; fields left out stay as they are. */
@InputType()
export class UpdateContactInput {
  @Field(() => String, { nullable: true, description: 'Empty string clears it' }) displayName?: string;
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field(() => Boolean, { nullable: true }) isPinned?: boolean;
  @Field(() => Boolean, { nullable: true }) isBlocked?: boolean;
  @Field(() => Boolean, { nullable: true }) conversationClosed?: boolean;
}

@ArgsType()
class UpdateContactArgs {
  @Field(() => ID) id!: string;
  @Field(() => UpdateContactInput) input!: UpdateContactInput;
}

const eventContacts = new WeakMap<object, Promise<Contact | null>>();

/**
 * The contact of a CONTACT_UPDATED event, null when it is gone. Every subscriber gets an event as the
 * same payload object, so the contact (and its last message) is read once, and its row view is the
 * root of every subscriber's frame (the filter and the resolver alike; field resolvers only read it).
 */
export function eventContact(p: Topics['CONTACT_UPDATED'], ctx: Pick<Context, 'em' | 'services'>): Promise<Contact | null> {
  let found = eventContacts.get(p);
  if (!found) eventContacts.set(p, (found = readContact(ctx, p.id)));
  return found;
}

async function readContact({ em, services: { pool } }: Pick<Context, 'em' | 'services'>, id: string): Promise<Contact | null> {
  const contact = await loadRow(pool, 'contact', id);
  if (!contact) return null;
  const [lastMessage, assignee] = await Promise.all([
    contact.last_message_id ? loadRow(pool, 'message', String(contact.last_message_id)) : undefined,
    contact.assignee_id ? loadRow(pool, 'agent', String(contact.assignee_id)) : undefined,
  ]);
  return rowView(em, Contact, contact, { lastMessage, assignee });
}

/** The `contacts(assignee:)` argument as contactsSql takes it: an agent's id, null for NONE, undefined for no filter. */
function assigneeFilter(value: string | undefined, principal: Principal): string | null | undefined {
  if (value == null) return undefined;
  if (value === 'NONE') return null;
  if (value === 'ME') {
    if (principal.kind !== 'agent') throw new AppError('BAD_USER_INPUT', "assignee: ME needs an agent's session; give an agent's id", { field: 'assignee' });
    return principal.id;
  }
  if (!/^\d{1,18}$/.test(value)) throw new AppError('BAD_USER_INPUT', "assignee must be ME, NONE or an agent's id", { field: 'assignee' });
  return value;
}

/** Contacts: list and search, lookup, edits, read receipts and live updates. */
@Resolver(() => Contact)
export class ContactResolver {
  @Authorized(Scope.READ)
  @Query(() => ContactConnection, { description: 'Contacts, pinned first, then by last message time' })
  async contacts(@Args(() => ContactsArgs) a: ContactsArgs, @Ctx() { em, principal, services: { pool, config } }: Context, @Info() info: GraphQLResolveInfo) {
    checkPageSize(a.first, config.graphql.maxPageSize);
    const text = a.search?.trim();
    const after = a.after
      ? (decodeCursor(a.after, (p) => p.length === 3 && typeof p[0] === 'boolean' && typeof p[1] === 'string' && typeof p[2] === 'string') as [boolean, string, string])
      : undefined;
    const search = text ? await contactSearch(pool, text) : undefined;
    const sql = contactsSql({ search, pinned: a.pinned, blocked: a.blocked, tag: a.tag, assignee: assigneeFilter(a.assignee, principal), first: a.first, after });
    const { rows, count } = await readPage(pool, sql, selectsCount(info), () => readContactRows(pool, sql));
    return toPage(
      rows,
      a.first,
      ({ contact, lastMessage }) => rowView(em, Contact, contact, { lastMessage }),
      ({ contact: r }) => [r.is_pinned, r.order_at, String(r.id)],
      count,
      !!text,
    );
  }

  @Authorized(Scope.READ)
  @Query(() => Contact, { nullable: true, description: 'One contact by id, phone number (waId) or BSUID (userId)' })
  async contact(@Args(() => ContactLookupArgs) { id, waId, userId }: ContactLookupArgs, @Ctx() { em }: Context) {
    if ([id, waId, userId].filter((v) => v != null).length !== 1) throw new AppError('BAD_USER_INPUT', 'give exactly one of id, waId or userId');
    if (id != null) return /^\d+$/.test(id) ? em.findOne(Contact, id) : null;
    return em.findOne(Contact, waId != null ? { waId: waId.replace(/\D/g, '') } : { userId });
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Contact, { description: 'Renames, tags, pins, blocks, closes or reopens a conversation' })
  async updateContact(@Args(() => UpdateContactArgs) { id, input }: UpdateContactArgs, @Ctx() ctx: Context) {
    // Blocking a customer is an admin's decision; the rest of an edit is any agent's.
    if (input.isBlocked != null && !can(ctx.principal, Scope.ADMIN)) throw new AppError('FORBIDDEN', 'blocking or unblocking a contact needs ADMIN', { needs: [Scope.ADMIN] });
    const c = await ctx.em.getRepository(Contact).edit(id, input, ctx.principal.kind === 'agent' ? ctx.principal.id : null);
    ctx.services.pubsub.publish('CONTACT_UPDATED', { id: c.id });
    return c;
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Contact, { description: "Zeroes the unread count and sends WhatsApp's read receipt for the latest customer message; from an agent's session also the typing indicator" })
  async markContactRead(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const contacts = ctx.em.getRepository(Contact);
    const c = await contacts.byId(id);
    const latest = await contacts.latestReceived(c.id);
    if (await contacts.markRead(c)) ctx.services.pubsub.publish('CONTACT_UPDATED', { id: c.id });
    if (latest) {
      // An agent opening the conversation is about to answer, which is when Meta asks for the typing indicator; an API key is not.
      const typing = ctx.principal.kind === 'agent';
      await ctx.services.whatsapp.markRead(latest.waMessageId, latest.phoneNumberId ?? undefined, typing).catch((err: Error) => {
        ctx.services.log.warn({ contactId: c.id, err: err.message }, 'read receipt not accepted by the Graph API');
      });
    }
    return c;
  }

  @Authorized(Scope.READ)
  @Subscription(() => Contact, {
    topics: 'CONTACT_UPDATED',
    // A contact merged into another (or deleted) since the event has nothing to show: no event, not an error.
    filter: async ({ payload, context }: { payload: Topics['CONTACT_UPDATED']; context: Context }) => !!(await eventContact(payload, context)),
    description: 'A contact changed: new message, unread count, name, pin, block, tags, assignee',
  })
  contactUpdated(@Root() p: Topics['CONTACT_UPDATED'], @Ctx() ctx: Context) {
    return eventContact(p, ctx);
  }
}
