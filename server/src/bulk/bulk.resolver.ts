import { Authorized, Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context.js';
import { checkPageSize } from '../graphql/connection.js';
import { type Topics } from '../pubsub/topics.js';
import { BulkSend, BulkSendControl, BulkSendStatus } from './bulk-send.entity.js';
import { SendBulkMessageInput } from './bulk.input.js';
import type { MessageRepository } from '../messages/message.repository.js';
import { controlBulkSend, createBulkSend, resendBulkUnknown } from './bulk.service.js';
import { Scope } from '../identity/principal.js';

/** One count query per BulkSend object, shared by its count fields. */
const counts = new WeakMap<BulkSend, ReturnType<MessageRepository['bulkCounts']>>();
const countsOf = (b: BulkSend, { services }: Context) => {
  if (!counts.has(b)) counts.set(b, services.repos.messages.bulkCounts(b.id));
  return counts.get(b)!;
};

/** Bulk sends: create, pause, resume, cancel, list, and their live progress. */
@Resolver(() => BulkSend)
export class BulkSendResolver {
  @Authorized(Scope.BULK)
  @Mutation(() => BulkSend, { description: 'Queues one message per recipient (text inside open windows, or a template); progress is live on bulkSendProgress' })
  sendBulkMessage(@Arg('input', () => SendBulkMessageInput) input: SendBulkMessageInput, @Ctx() ctx: Context) {
    return createBulkSend(ctx, input);
  }

  @Authorized(Scope.BULK)
  @Mutation(() => BulkSend, { description: 'Stops sending further messages of the bulk send until resumed' })
  pauseBulkSend(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return controlBulkSend(ctx, id, BulkSendControl.PAUSED);
  }

  @Authorized(Scope.BULK)
  @Mutation(() => BulkSend)
  resumeBulkSend(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return controlBulkSend(ctx, id, BulkSendControl.RUNNING);
  }

  @Authorized(Scope.BULK)
  @Mutation(() => BulkSend, { description: 'Cancels the messages not sent yet (they become CANCELLED)' })
  cancelBulkSend(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return controlBulkSend(ctx, id, BulkSendControl.CANCELLED);
  }

  @Authorized(Scope.BULK)
  @Mutation(() => BulkSend, { description: 'Sends once more the messages of the bulk send whose outcome is unknown (counted in `unknown`) and that waited OUTBOUND_RECONCILE_SECONDS for a status' })
  resendBulkUnknown(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return resendBulkUnknown(ctx, id);
  }

  @Authorized(Scope.READ)
  @Query(() => BulkSend, { nullable: true })
  bulkSend(@Arg('id', () => ID) id: string, @Ctx() { em }: Context) {
    return /^\d+$/.test(id) ? em.getRepository(BulkSend).findOne(id) : null;
  }

  @Authorized(Scope.READ)
  @Query(() => [BulkSend], { description: 'Bulk sends, newest first' })
  bulkSends(@Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number, @Ctx() { em, services }: Context) {
    checkPageSize(first, services.config.graphql.maxPageSize);
    return em.getRepository(BulkSend).newest(first);
  }

  @Authorized(Scope.READ)
  @Subscription(() => BulkSend, {
    topics: 'BULK_SEND_PROGRESS',
    filter: ({ payload, args }: { payload: Topics['BULK_SEND_PROGRESS']; args: { id: string } }) => payload.id === args.id,
    description: 'The bulk send whenever its counts change (a few times a second at most)',
  })
  bulkSendProgress(@Root() p: Topics['BULK_SEND_PROGRESS'], @Arg('id', () => ID) _id: string, @Ctx() { em }: Context) {
    return em.fork().getRepository(BulkSend).findOneOrFail(p.id);
  }

  @FieldResolver(() => BulkSendStatus)
  async status(@Root() b: BulkSend, @Ctx() ctx: Context): Promise<BulkSendStatus> {
    if (b.status !== BulkSendControl.RUNNING) return b.status as unknown as BulkSendStatus;
    return (await countsOf(b, ctx)).queued === 0 ? BulkSendStatus.COMPLETED : BulkSendStatus.RUNNING;
  }

  @FieldResolver(() => Int, { description: 'Waiting to be sent' }) async queued(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).queued; }
  @FieldResolver(() => Int, { description: 'Sent, delivered or read' }) async sent(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).sent; }
  @FieldResolver(() => Int, { description: 'Delivered or read' }) async delivered(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).delivered; }
  @FieldResolver(() => Int) async read(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).read; }
  @FieldResolver(() => Int) async failed(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).failed; }
  @FieldResolver(() => Int) async cancelled(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).cancelled; }
  @FieldResolver(() => Int, { description: 'Outcome unknown (UNKNOWN): Meta may or may not have sent them; never sent again unless asked (resendBulkUnknown)' })
  async unknown(@Root() b: BulkSend, @Ctx() c: Context) { return (await countsOf(b, c)).unknown; }
}
