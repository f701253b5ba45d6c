import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { Scope } from '../identity/principal.js';
import { Message } from './message.entity.js';
import { dismissMessage, resendableAt, resendMessage } from './message.unknown.js';

/** Messages whose send outcome is unknown: when they are offered to a person, and the person's Resend or Dismiss. */
@Resolver(() => Message)
export class UnknownOutcomeResolver {
  @Authorized(Scope.SEND)
  @Mutation(() => Message, { description: 'Sends an UNKNOWN message once more (it may then arrive twice); allowed once it has waited OUTBOUND_RECONCILE_SECONDS (resendableAt)' })
  resendMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return resendMessage(ctx, id);
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Message, { description: 'Settles an UNKNOWN message without sending it again: FAILED, "Not confirmed by WhatsApp" (a later status from Meta still applies)' })
  dismissMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return dismissMessage(ctx, id);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'For an UNKNOWN message: from when it is shown as "may not have been delivered" and may be resent (no status webhook came by then); null otherwise',
  })
  resendableAt(@Root() m: Message, @Ctx() { services }: Context): Date | null {
    return resendableAt(m, services.config.outbound.reconcileSeconds);
  }
}
