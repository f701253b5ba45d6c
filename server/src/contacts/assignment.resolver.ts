import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Agent } from '../identity/agent.entity.js';
import { Scope } from '../identity/principal.js';
import { contactCounts } from '../search/contact.counts.js';
import { Contact } from './contact.entity.js';
import { assignContact } from './assignment.service.js';

@ObjectType({ description: 'Open conversations (not closed) of the inbox tabs' })
class ContactCounts {
  @Field(() => Int, { description: "Assigned to the caller (0 for a caller who is no agent)" }) mine!: number;
  @Field(() => Int) unassigned!: number;
  @Field(() => Int) all!: number;
}

@ArgsType()
class AssignContactArgs {
  @Field(() => ID) id!: string;
  @Field(() => ID, { nullable: true, description: 'The agent to take it; null: nobody' }) agentId?: string | null;
}

/** Who handles a conversation: its assignee, assigning, and the tabs' counts. */
@Resolver(() => Contact)
export class AssignmentResolver {
  @FieldResolver(() => Agent, { nullable: true, description: 'The agent handling the conversation; null when unassigned' })
  assignee(@Root() c: Contact, @Ctx() { em }: Context) {
    if (!c.assignee) return null;
    if (c.assignee.isInitialized()) return c.assignee.unwrap();
    return em.getReference(Agent, c.assignee.id, { wrapped: true }).load({ dataloader: true });
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Contact, {
    description: 'Gives a conversation to an agent (agentId null: to nobody). Agents take unassigned conversations and give up their own; admins assign anyone',
  })
  assignContact(@Args(() => AssignContactArgs) { id, agentId }: AssignContactArgs, @Ctx() ctx: Context) {
    return assignContact(ctx, id, agentId ?? null);
  }

  @Authorized(Scope.READ)
  @Query(() => ContactCounts, { description: 'How many open conversations are the caller\'s, unassigned, and in all' })
  contactCounts(@Ctx() { principal, services: { pool } }: Context) {
    return contactCounts(pool, principal.kind === 'agent' ? principal.id : null);
  }
}
