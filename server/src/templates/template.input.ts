import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';

/** A new template, in Meta's terms: its components are Meta's objects (HEADER, BODY, FOOTER, BUTTONS). */
@InputType()
export class CreateTemplateInput {
  @Field(() => String, { description: 'Lowercase letters, digits and underscores, at most 512' }) name!: string;
  @Field(() => String, { description: 'e.g. en_US, pt_BR, de' }) language!: string;
  @Field(() => String, { description: 'MARKETING | UTILITY | AUTHENTICATION' }) category!: string;
  @Field(() => String, { nullable: true, description: 'POSITIONAL ({{1}}, the default) or NAMED ({{first_name}})' })
  parameterFormat?: string | null;
  @Field(() => [GraphQLJSONObject], { description: "Meta's component objects, with an example for every variable" })
  components!: Array<Record<string, unknown>>;
}

/** What an edit changes: the category, the components, or both. */
@InputType()
export class UpdateTemplateInput {
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => [GraphQLJSONObject], { nullable: true }) components?: Array<Record<string, unknown>> | null;
}
