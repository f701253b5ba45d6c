import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { Message } from './message.entity.js';

/** A contact's last message: a field of Contact that messages/ resolves, so contacts/ needs no Message. */
@Resolver(() => Contact)
export class LastMessageResolver {
  @FieldResolver(() => Message, { nullable: true })
  lastMessage(@Root() c: Contact, @Ctx() { em }: Context) {
    if (c.lastMessage?.isInitialized()) return c.lastMessage.unwrap();
    return c.lastMessage ? em.getReference(Message, c.lastMessage.id, { wrapped: true }).load({ dataloader: true }) : null;
  }
}
