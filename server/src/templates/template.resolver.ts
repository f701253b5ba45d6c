import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { WhatsAppApiError } from '../whatsapp/whatsapp.client.js';
import { Template } from './template.entity.js';
import { CreateTemplateInput, UpdateTemplateInput } from './template.input.js';
import { TemplateManager } from './template.manage.js';
import { templateParameterNames } from './template.service.js';
import { Scope } from '../identity/principal.js';

@ObjectType({ description: 'The placeholders a send of the template must fill: positional ("1", "2") or named ("first_name")' })
class TemplateParameters {
  @Field(() => String, { description: 'POSITIONAL | NAMED' }) format!: string;
  @Field(() => String, { nullable: true, description: 'TEXT | IMAGE | VIDEO | DOCUMENT | LOCATION; a media header takes one media parameter' })
  headerFormat?: string | null;
  @Field(() => [String]) header!: string[];
  @Field(() => [String]) body!: string[];
}

@ArgsType()
class UpdateTemplateArgs {
  @Field(() => ID) id!: string;
  @Field(() => UpdateTemplateInput) input!: UpdateTemplateInput;
}

const manager = ({ em, services }: Context) => new TemplateManager(services.whatsapp, em.getRepository(Template));

/** Templates: the synced list, a sync on demand, and each template's placeholders. */
@Resolver(() => Template)
export class TemplateResolver {
  @Authorized(Scope.READ)
  @Query(() => [Template], { description: 'Synced templates by name and language. Without `status`, DELETED ones (no longer at Meta) are left out' })
  templates(
    @Arg('status', () => String, { nullable: true, description: 'e.g. APPROVED' }) status: string | undefined,
    @Arg('name', () => String, { nullable: true, description: 'Case-insensitive part of the name' }) name: string | undefined,
    @Arg('language', () => String, { nullable: true, description: 'e.g. en_US' }) language: string | undefined,
    @Ctx() { em }: Context,
  ) {
    return em.getRepository(Template).list({
      status: status ? status.trim().toUpperCase() : undefined,
      nameContains: name?.trim() || undefined,
      language: language?.trim() || undefined,
    });
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => [Template], { description: 'Reloads every template from Meta now; answers the templates Meta lists' })
  async syncTemplates(@Ctx() { em, services }: Context) {
    try {
      await services.templates.sync();
    } catch (err) {
      if (err instanceof WhatsAppApiError) throw new AppError('WHATSAPP_ERROR', `template sync failed: ${err.message}`, { whatsappCode: err.code });
      throw err;
    }
    return em.getRepository(Template).list();
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => Template, { description: "Submits a new template to Meta for review; answers it PENDING (or as Meta answered). BAD_USER_INPUT names the field Meta's rules refuse" })
  createTemplate(@Arg('input', () => CreateTemplateInput) input: CreateTemplateInput, @Ctx() ctx: Context) {
    const format = (input.parameterFormat ?? 'POSITIONAL').trim().toUpperCase() as 'POSITIONAL' | 'NAMED';
    return manager(ctx).create({ ...input, parameterFormat: format });
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => Template, { description: "Edits a template's category or components at Meta; it goes back to review" })
  updateTemplate(@Args(() => UpdateTemplateArgs) { id, input }: UpdateTemplateArgs, @Ctx() ctx: Context) {
    return manager(ctx).update(id, input);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => [Template], { description: 'Deletes a template at Meta: this language, or every language of its name; answers those now DELETED' })
  deleteTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('allLanguages', () => Boolean, { defaultValue: false }) allLanguages: boolean,
    @Ctx() ctx: Context,
  ) {
    return manager(ctx).delete(id, allLanguages);
  }

  @FieldResolver(() => TemplateParameters)
  parameters(@Root() t: Template): TemplateParameters {
    return templateParameterNames(t.components);
  }
}
