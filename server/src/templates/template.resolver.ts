import { Authorized, Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { WhatsAppApiError } from '../whatsapp/whatsapp.client.js';
import { Template } from './template.entity.js';
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

  @FieldResolver(() => TemplateParameters)
  parameters(@Root() t: Template): TemplateParameters {
    return templateParameterNames(t.components);
  }
}
