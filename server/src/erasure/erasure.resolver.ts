import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { Scope } from '../identity/principal.js';
import { eraseContact } from './erasure.service.js';

/** What eraseContact removed. */
@ObjectType({ description: 'What eraseContact removed, per kind' })
export class ContactErasure {
  @Field(() => ID, { description: 'The erased contact (it no longer exists)' }) contactId!: string;
  @Field(() => Int) messages!: number;
  @Field(() => Int, { description: 'Status reports of their messages, and reports still waiting that name them' }) statusEvents!: number;
  @Field(() => Int, { description: 'Media of their messages (downloaded or not)' }) mediaFiles!: number;
  @Field(() => Int, { description: 'Files deleted from the media folder' }) filesRemoved!: number;
  @Field(() => Int, { description: 'Raw webhook bodies that named them (each deleted whole, other customers in it included)' }) webhookEvents!: number;
  @Field(() => Int, { description: 'Account events whose value named them (errors webhooks carry the messages)' }) accountEvents!: number;
  @Field(() => Int, { description: 'Queued, running or archived jobs (sends, media downloads) of them' }) jobs!: number;
  @Field(() => Int, { description: 'Words of their messages that no other message has, removed from the search word list' }) searchWords!: number;
}

/** The right to be forgotten: an admin erases a customer and everything that names them. */
@Resolver()
export class ErasureResolver {
  @Authorized(Scope.ADMIN)
  @Mutation(() => ContactErasure, { description: "Deletes a customer and every trace of them: messages, statuses, media files, search words, counters, raw webhook bodies, queued jobs" })
  eraseContact(@Arg('id', () => ID) id: string, @Ctx() { services }: Context): Promise<ContactErasure> {
    return eraseContact(services, id);
  }
}
