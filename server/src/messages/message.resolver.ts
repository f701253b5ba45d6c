import type { GraphQLResolveInfo } from 'graphql';
import { Authorized, Arg, Args, ArgsType, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root, Subscription, Field } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { loadRow } from '../db/row.loader.js';
import { rowView } from '../db/row.view.js';
import { checkPageSize, checkSearch, Connection, decodeCursor, selectsCount, toPage } from '../graphql/connection.js';
import { readPage, readRows } from '../search/page.js';
import { type Topics } from '../pubsub/topics.js';
import { searchMessages } from '../search/message.search.js';
import { messagesSql } from '../search/message.list.js';
import { wordSearch } from '../search/word.search.js';
import { Message, MessageLocation, MessageMedia, MessageReaction } from './message.entity.js';
import { sendMessage } from './message.send.js';
import { SendMessageInput } from './send.input.js';
import { Sender, senderOf } from './sender.js';
import { Scope } from '../identity/principal.js';

/** The `messages` page type. */
export const MessageConnection = Connection(Message, 'Message');

@ArgsType()
class MessagesArgs {
  @Field(() => ID, { nullable: true, description: 'Only the conversation with this contact' }) contactId?: string;
  @Field(() => String, { nullable: true, description: 'Words of the text or caption, in any order and case; the last may be the start of a word (three characters or more)' }) search?: string;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

const eventMessages = new WeakMap<object, Promise<Message>>();

/**
 * The message of a MESSAGE_ADDED or MESSAGE_STATUS_CHANGED event. One event is delivered to every
 * subscriber as the same payload object, so its message (with its contact) is read once, and its row
 * view is the root of every subscriber's frame (field resolvers only read it). The rows of events
 * arriving together are read together (loadRow).
 */
export function eventMessage(p: Topics['MESSAGE_ADDED'], { em, services }: Pick<Context, 'em' | 'services'>): Promise<Message> {
  let found = eventMessages.get(p);
  if (!found) {
    found = (async () => {
      const message = await loadRow(services.pool, 'message', p.id);
      if (!message) throw new AppError('NOT_FOUND', `no message ${p.id}`);
      const contact = await loadRow(services.pool, 'contact', String(message.contact_id));
      return rowView(em, Message, message, { contact });
    })();
    eventMessages.set(p, found);
  }
  return found;
}

/** Messages: list and search, sends, the fields derived from Meta's payload, and live events. */
@Resolver(() => Message)
export class MessageResolver {
  @Authorized(Scope.READ)
  @Query(() => MessageConnection, { description: 'Messages, newest first' })
  async messages(@Args(() => MessagesArgs) { contactId, search, first, after }: MessagesArgs, @Ctx() { em, services: { pool, config } }: Context, @Info() info: GraphQLResolveInfo) {
    checkPageSize(first, config.graphql.maxPageSize);
    const searching = !!search?.trim();
    const empty = () => toPage([], first, (r) => r, () => [], async () => 0, searching);
    if (contactId != null && !/^\d+$/.test(contactId)) return empty();
    const cursor = after ? (decodeCursor(after, (p) => p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string') as [string, string]) : undefined;
    const words = searching ? await wordSearch(pool, checkSearch(search!.trim())) : undefined;
    if (words === null) return empty(); // no words in it: nothing matches
    const keyOf = (r: Record<string, any>) => [new Date(r.timestamp).toISOString(), String(r.id)];
    if (words && contactId == null) {
      const found = await searchMessages(pool, { words, first, after: cursor });
      return toPage(found.rows, first, (r) => rowView(em, Message, r), keyOf, found.count, true);
    }
    const sql = messagesSql({ contactId, search: words, first, after: cursor });
    const { rows, count } = await readPage(pool, sql, selectsCount(info), () => readRows(pool, sql));
    return toPage(rows, first, (r) => rowView(em, Message, r), keyOf, count, searching);
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Message, { description: 'Sends a message (text, media, location, reaction, interactive or template; optionally quoting one): stored PENDING at once, then sent through the Graph API at Meta\'s limits' })
  sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() ctx: Context) {
    return sendMessage(ctx, input);
  }

  @FieldResolver(() => Contact)
  contact(@Root() m: Message, @Ctx() { em }: Context) {
    if (m.contact.isInitialized()) return m.contact.unwrap();
    return em.getReference(Contact, m.contact.id, { wrapped: true }).load({ dataloader: true });
  }

  @FieldResolver(() => Sender, { nullable: true, description: 'Who sent an outbound message (agent, API key, bulk send or the phone); null for inbound' })
  sentBy(@Root() m: Message, @Ctx() { em }: Context) {
    return senderOf(m, em);
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The message this one quotes, when stored' })
  replyTo(@Root() m: Message, @Ctx() { em }: Context) {
    return m.contextWaMessageId ? em.findOne(Message, { waMessageId: m.contextWaMessageId }) : null;
  }

  @FieldResolver(() => MessageMedia, { nullable: true })
  media(@Root() m: Message): MessageMedia | null {
    const kind = m.waType === 'edit' ? undefined : m.waType;
    const d = kind && MEDIA.has(kind) ? (m.payload?.[kind] as Record<string, any> | undefined) : undefined;
    if (!d) return null;
    return { id: d.id ?? null, mimeType: d.mime_type ?? null, sha256: d.sha256 ?? null, filename: d.filename ?? null, link: d.link ?? null, voice: d.voice ?? null, animated: d.animated ?? null };
  }

  @FieldResolver(() => MessageLocation, { nullable: true })
  location(@Root() m: Message): MessageLocation | null {
    const d = m.payload?.location as Record<string, any> | undefined;
    if (!d || typeof d.latitude !== 'number') return null;
    return { latitude: d.latitude, longitude: d.longitude, name: d.name ?? null, address: d.address ?? null, url: d.url ?? null };
  }

  @FieldResolver(() => MessageReaction, { nullable: true })
  reaction(@Root() m: Message): MessageReaction | null {
    const d = m.payload?.reaction as Record<string, any> | undefined;
    if (!d?.message_id) return null;
    return { messageId: d.message_id, emoji: d.emoji || null };
  }

  @Authorized(Scope.READ)
  @Subscription(() => Message, {
    topics: 'MESSAGE_ADDED',
    filter: ({ payload, args }: { payload: Topics['MESSAGE_ADDED']; args: { contactId?: string } }) => !args.contactId || payload.contactId === args.contactId,
    description: 'Every new message, inbound or outbound',
  })
  messageAdded(@Root() p: Topics['MESSAGE_ADDED'], @Arg('contactId', () => ID, { nullable: true }) _contactId: string | undefined, @Ctx() ctx: Context) {
    return eventMessage(p, ctx);
  }

  @Authorized(Scope.READ)
  @Subscription(() => Message, {
    topics: 'MESSAGE_STATUS_CHANGED',
    filter: ({ payload, args }: { payload: Topics['MESSAGE_STATUS_CHANGED']; args: { contactId?: string } }) => !args.contactId || payload.contactId === args.contactId,
    description: 'A message changed: status, error, edit or deletion',
  })
  messageStatusChanged(@Root() p: Topics['MESSAGE_STATUS_CHANGED'], @Arg('contactId', () => ID, { nullable: true }) _contactId: string | undefined, @Ctx() ctx: Context) {
    return eventMessage(p, ctx);
  }
}
