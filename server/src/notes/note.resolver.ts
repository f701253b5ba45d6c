import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { checkPageSize, Connection, decodeCursor, toPage } from '../graphql/connection.js';
import { Agent } from '../identity/agent.entity.js';
import { actorIds, Scope } from '../identity/principal.js';
import type { Topics } from '../pubsub/topics.js';
import { mentionedAgents } from './note.mentions.js';
import { MAX_NOTE_LENGTH, Note } from './note.entity.js';

/** The `notes` page type. */
export const NoteConnection = Connection(Note, 'Note');

@ArgsType()
class NotesArgs {
  @Field(() => ID) contactId!: string;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@ArgsType()
class AddNoteArgs {
  @Field(() => ID) contactId!: string;
  @Field(() => String, { description: `At most ${MAX_NOTE_LENGTH} characters; @Name mentions an agent` }) text!: string;
}

/** The contact with this id, or NOT_FOUND. */
async function contactOf(ctx: Context, id: string): Promise<Contact> {
  const contact = /^\d+$/.test(id) ? await ctx.em.findOne(Contact, id) : null;
  if (!contact) throw new AppError('NOT_FOUND', `no contact ${id}`);
  return contact;
}

const eventNotes = new WeakMap<object, Promise<Note | null>>();

/**
 * The note of a NOTE_ADDED event, null once erased. Every subscriber gets an event as the same payload
 * object, so the note is read once, in a fork of its own (a subscription's context lives long).
 */
function eventNote(p: Topics['NOTE_ADDED'], { services }: Pick<Context, 'services'>): Promise<Note | null> {
  let found = eventNotes.get(p);
  if (!found) eventNotes.set(p, (found = services.orm.em.fork().findOne(Note, p.id)));
  return found;
}

/** Internal notes: a conversation's list, new notes with their @mentions, and live notes. */
@Resolver(() => Note)
export class NoteResolver {
  @Authorized(Scope.READ)
  @Query(() => NoteConnection, { description: "A conversation's internal notes, newest first" })
  async notes(@Args(() => NotesArgs) { contactId, first, after }: NotesArgs, @Ctx() ctx: Context) {
    checkPageSize(first, ctx.services.config.graphql.maxPageSize);
    const [afterId] = after ? (decodeCursor(after, (p) => p.length === 1 && typeof p[0] === 'string' && /^\d+$/.test(p[0])) as [string]) : [];
    const contact = await contactOf(ctx, contactId);
    const notes = ctx.em.getRepository(Note);
    const rows = await notes.page(contact.id, first, afterId);
    return toPage(rows, first, (n) => n, (n) => [n.id], () => notes.countOf(contact.id));
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Note, { description: 'Adds an internal note to a conversation (never sent to WhatsApp); @Name mentions an agent, who is notified' })
  async addNote(@Args(() => AddNoteArgs) { contactId, text }: AddNoteArgs, @Ctx() ctx: Context) {
    const body = text.trim();
    if (!body) throw new AppError('BAD_USER_INPUT', 'a note needs some text', { field: 'text' });
    if (body.length > MAX_NOTE_LENGTH) throw new AppError('BAD_USER_INPUT', `a note has at most ${MAX_NOTE_LENGTH} characters`, { field: 'text', maxLength: MAX_NOTE_LENGTH });
    const contact = await contactOf(ctx, contactId);
    const agents = (await ctx.em.getRepository(Agent).list()).filter((a) => a.active);
    const { agentId, apiKeyId } = actorIds(ctx.principal);
    const note = await ctx.em.getRepository(Note).add({
      contactId: contact.id,
      text: body,
      authorAgentId: agentId,
      authorApiKeyId: apiKeyId,
      authorName: ctx.principal.name,
      mentionedAgentIds: mentionedAgents(body, agents),
    });
    // Published once committed: every process's subscribers read the stored note.
    ctx.services.pubsub.publish('NOTE_ADDED', { id: note.id, contactId: contact.id });
    return note;
  }

  @FieldResolver(() => [Agent], { description: 'The agents the text mentions' })
  mentions(@Root() n: Note, @Ctx() { em }: Context) {
    return n.mentionedAgentIds.length ? em.fork().find(Agent, { id: { $in: n.mentionedAgentIds } }, { orderBy: { name: 'asc' } }) : [];
  }

  @FieldResolver(() => ID)
  contactId(@Root() n: Note): string {
    return n.contact.id;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The agent who wrote it; null when an API key did' })
  authorAgentId(@Root() n: Note): string | null {
    return n.authorAgent?.id ?? null;
  }

  @FieldResolver(() => Contact)
  contact(@Root() n: Note, @Ctx() { em }: Context) {
    return em.fork().findOneOrFail(Contact, n.contact.id);
  }

  @Authorized(Scope.READ)
  @Subscription(() => Note, {
    topics: 'NOTE_ADDED',
    // A note erased since the event (with its contact) has nothing to show: no event, not an error.
    filter: async ({ payload, args, context }: { payload: Topics['NOTE_ADDED']; args: { contactId?: string }; context: Context }) =>
      (!args.contactId || payload.contactId === args.contactId) && !!(await eventNote(payload, context)),
    description: "Every new internal note, or one conversation's; a widget tells its agent about notes whose mentionedAgentIds name them",
  })
  noteAdded(@Root() p: Topics['NOTE_ADDED'], @Arg('contactId', () => ID, { nullable: true }) _contactId: string | undefined, @Ctx() ctx: Context) {
    return eventNote(p, ctx);
  }
}
