import { Arg, Args, ArgsType, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, Field } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { loadRow } from '../graphql/row.loader.js';
import { rowView } from '../graphql/row.view.js';
import { cappedCountSql, checkPageSize, Connection, decodeCursor, likePattern, toPage } from '../graphql/connection.js';
import type { Topics } from '../pubsub.js';
import { Message, MessageLocation, MessageMedia, MessageReaction } from './message.entity.js';
import { sendMessage } from './message.send.js';
import { SendMessageInput } from './send.input.js';

export const MessageConnection = Connection(Message, 'Message');

@ArgsType()
class MessagesArgs {
  @Field(() => ID, { nullable: true, description: 'Only the conversation with this contact' }) contactId?: string;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the text or caption' }) search?: string;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * One event is delivered to every subscriber as the same payload object: its message (with its
 * contact) is read once, and its row view is the root of every subscriber's frame (field resolvers
 * only read it). The rows of events arriving together
 * are read together (loadRow).
 */
const eventMessages = new WeakMap<object, Promise<Message>>();

export function eventMessage(p: Topics['MESSAGE_ADDED'], { em, services }: Pick<Context, 'em' | 'services'>): Promise<Message> {
  let found = eventMessages.get(p);
  if (!found) {
    found = (async () => {
      const message = await loadRow(services.pool, 'message', p.id);
      if (!message) throw new AppError('NOT_FOUND', `no message ${p.id}`);
      const contact = await loadRow(services.pool, 'contact', String(message.contact_id));
      return rowView(em, Message, message, { contact: contact && rowView(em, Contact, contact) });
    })();
    eventMessages.set(p, found);
  }
  return found;
}

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => MessageConnection, { description: 'Messages, newest first' })
  async messages(@Args(() => MessagesArgs) { contactId, search, first, after }: MessagesArgs, @Ctx() { em, services }: Context) {
    checkPageSize(first, services.config.graphql.maxPageSize);
    const where: string[] = [];
    const params: unknown[] = [];
    if (contactId != null) {
      if (!/^\d+$/.test(contactId)) return toPage([], first, (r) => r, () => [], async () => 0);
      params.push(contactId);
      where.push(`contact_id = $${params.length}`);
    }
    if (search?.trim()) {
      params.push(likePattern(search.trim()));
      where.push(`text ilike $${params.length}`);
    }
    const filter = where.length ? `where ${where.join(' and ')}` : '';
    const countSql = search?.trim() ? cappedCountSql(`select 1 from message ${filter}`) : `select count(*)::int as n from message ${filter}`;
    const countParams = [...params];
    if (after) {
      const [ts, id] = decodeCursor(after, (p) => p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
      params.push(ts, id);
      where.push(`(timestamp, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(first + 1);
    const rows = await services.pool.query(
      `select * from message ${where.length ? `where ${where.join(' and ')}` : ''} order by timestamp desc, id desc limit $${params.length}`,
      params,
    );
    const count = async () => (await services.pool.query(countSql, countParams)).rows[0].n as number;
    return toPage(rows.rows, first, (r) => rowView(em, Message, r), (r) => [new Date(r.timestamp).toISOString(), String(r.id)], count, !!search?.trim());
  }

  @Mutation(() => Message, { description: 'Sends a message (text, media, location, reaction, interactive or template; optionally quoting one): stored PENDING at once, then sent through the Graph API at Meta\'s limits' })
  sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() ctx: Context) {
    return sendMessage(ctx, input);
  }

  @FieldResolver(() => Contact)
  contact(@Root() m: Message, @Ctx() { em }: Context) {
    if (m.contact.isInitialized()) return m.contact.unwrap();
    return em.getReference(Contact, m.contact.id, { wrapped: true }).load({ dataloader: true });
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

  @Subscription(() => Message, {
    topics: 'MESSAGE_ADDED',
    filter: ({ payload, args }: { payload: Topics['MESSAGE_ADDED']; args: { contactId?: string } }) => !args.contactId || payload.contactId === args.contactId,
    description: 'Every new message, inbound or outbound',
  })
  messageAdded(@Root() p: Topics['MESSAGE_ADDED'], @Arg('contactId', () => ID, { nullable: true }) _contactId: string | undefined, @Ctx() ctx: Context) {
    return eventMessage(p, ctx);
  }

  @Subscription(() => Message, {
    topics: 'MESSAGE_STATUS_CHANGED',
    filter: ({ payload, args }: { payload: Topics['MESSAGE_STATUS_CHANGED']; args: { contactId?: string } }) => !args.contactId || payload.contactId === args.contactId,
    description: 'A message changed: status, error, edit or deletion',
  })
  messageStatusChanged(@Root() p: Topics['MESSAGE_STATUS_CHANGED'], @Arg('contactId', () => ID, { nullable: true }) _contactId: string | undefined, @Ctx() ctx: Context) {
    return eventMessage(p, ctx);
  }
}
