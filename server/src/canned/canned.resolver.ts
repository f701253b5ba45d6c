import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { Scope } from '../identity/principal.js';
import { CannedReply } from './canned-reply.entity.js';

@InputType()
class CreateCannedReplyInput {
  @Field(() => String) shortcut!: string;
  @Field(() => String) text!: string;
}

@InputType()
class UpdateCannedReplyInput {
  @Field(() => String, { nullable: true }) shortcut?: string | null;
  @Field(() => String, { nullable: true }) text?: string | null;
}

@ArgsType()
class UpdateCannedReplyArgs {
  @Field(() => ID) id!: string;
  @Field(() => UpdateCannedReplyInput) input!: UpdateCannedReplyInput;
}

/** Canned replies: agents search them, admins manage them. */
@Resolver(() => CannedReply)
export class CannedReplyResolver {
  @Authorized(Scope.READ)
  @Query(() => [CannedReply], { description: 'Canned replies whose shortcut starts with `search` or whose text contains it, by shortcut' })
  cannedReplies(@Arg('search', () => String, { nullable: true }) search: string | undefined, @Ctx() { em }: Context) {
    return em.getRepository(CannedReply).list(search);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => CannedReply, { description: 'A new canned reply; BAD_USER_INPUT when its shortcut is taken' })
  createCannedReply(@Arg('input', () => CreateCannedReplyInput) input: CreateCannedReplyInput, @Ctx() { em }: Context) {
    return em.getRepository(CannedReply).add(input);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => CannedReply, { description: "Changes a canned reply's shortcut or text" })
  updateCannedReply(@Args(() => UpdateCannedReplyArgs) { id, input }: UpdateCannedReplyArgs, @Ctx() { em }: Context) {
    return em.getRepository(CannedReply).edit(id, input);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => CannedReply, { description: 'Deletes a canned reply; answers the deleted one' })
  deleteCannedReply(@Arg('id', () => ID) id: string, @Ctx() { em }: Context) {
    return em.getRepository(CannedReply).remove(id);
  }
}
