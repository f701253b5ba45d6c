import { Arg, Args, ArgsType, Authorized, Ctx, Extensions, Field, ID, Mutation, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { AUDIT_REFUSALS_ONLY } from '../audit/audit.hook.js';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { PER_SUBSCRIBER } from '../graphql/shared.subscriptions.js';
import { Scope, type Principal } from '../identity/principal.js';
import type { PresenceSnapshot, PresentAgent } from './presence.state.js';

@ObjectType({ description: 'An agent as presence shows it: the name of its session' })
class PresenceAgent {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType({ description: 'An agent with the conversation open' })
class AgentPresence {
  @Field(() => PresenceAgent) agent!: PresenceAgent;
  @Field(() => Boolean, { description: 'Typing a reply (a signal within the last 5 seconds)' }) typing!: boolean;
}

@ObjectType({ description: 'Who else has a conversation open' })
class ConversationPresence {
  @Field(() => ID) contactId!: string;
  @Field(() => [AgentPresence], { description: 'The other agents viewing it, by name; the caller is never among them' }) agents!: AgentPresence[];
}

// An ArgsType keeps the arguments in this order in the schema (parameter decorators print them reversed).
@ArgsType()
class SetTypingArgs {
  @Field(() => ID) contactId!: string;
  @Field(() => Boolean, { defaultValue: true, description: 'False: stopped (sent or cleared the reply)' }) typing!: boolean;
}

/** A contact id as a bigint key; anything else is BAD_USER_INPUT. */
function contactIdOf(id: unknown): string {
  if (typeof id !== 'string' || !/^\d{1,18}$/.test(id)) throw new AppError('BAD_USER_INPUT', `contactId must be a contact's id, not ${JSON.stringify(id)}`);
  return id;
}

const agentOf = (p: Principal): PresentAgent | null => (p.kind === 'agent' ? { id: p.id, name: p.name } : null);

/** Who else is here: the agents viewing a conversation, and who of them is typing a reply. */
@Resolver()
export class PresenceResolver {
  // Subscribing is viewing: the socket that holds the subscription is the viewer, so closing it (or
  // completing the operation) is leaving, with no heartbeat from the widget. An API key may watch
  // but is not shown.
  @Authorized(Scope.READ)
  @Extensions({ [PER_SUBSCRIBER]: true })
  @Subscription(() => ConversationPresence, {
    subscribe: ({ args, context }: { args: Record<string, unknown>; context: Context }) =>
      context.services.presence.watch(contactIdOf(args.contactId), agentOf(context.principal)),
    description: 'The other agents with this conversation open (the caller, an agent, counts as viewing it while subscribed), at once and at every change',
  })
  presenceChanged(@Root() p: PresenceSnapshot, @Arg('contactId', () => ID) _contactId: string): PresenceSnapshot {
    return p;
  }

  @Authorized(Scope.SEND)
  @Extensions(AUDIT_REFUSALS_ONLY)
  @Mutation(() => Boolean, {
    description: 'The caller (an agent) is typing a reply in the conversation, or stopped (typing: false). The widget sends it every 2 seconds while the agent types; it shows for 5 seconds. False when it changed nothing: a second signal within one second, or a stop while not typing',
  })
  async setTyping(@Args(() => SetTypingArgs) { contactId, typing }: SetTypingArgs, @Ctx() { em, services, principal }: Context): Promise<boolean> {
    const id = contactIdOf(contactId);
    const agent = agentOf(principal);
    if (!agent) throw new AppError('BAD_USER_INPUT', 'only agents (signed in with a session) have presence; an API key cannot type');
    if (!services.presence.admits(id, agent.id, typing)) return false;
    // Read only for the signals passed on (at most one a second): presence never writes.
    if ((await em.count(Contact, { id })) === 0) throw new AppError('NOT_FOUND', `no contact ${id}`);
    return services.presence.typing(id, agent, typing);
  }
}
