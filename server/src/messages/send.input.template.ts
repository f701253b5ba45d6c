import { Field, InputType, Int, registerEnumType } from 'type-graphql';

/** What fills a template's header. */
export enum TemplateHeaderKind {
  TEXT = 'TEXT',
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
}
registerEnumType(TemplateHeaderKind, { name: 'TemplateHeaderKind', description: "The kind of a template's header: TEXT (its variable) or the media it shows" });

/** The header of a template send: its media, or the value of a text header's variable. */
@InputType({ description: "A template's header: the image, video or document of a media header (by Meta's media id or an https link), or the value of a text header's variable" })
export class TemplateHeaderInput {
  @Field(() => TemplateHeaderKind, { description: "Must be the template's header format" }) kind!: TemplateHeaderKind;
  @Field(() => String, { nullable: true, description: "TEXT: the value of the header's variable (same as headerParameters)" }) text?: string;
  @Field(() => String, { nullable: true, description: "Media: Meta's media id (uploaded through POST /api/media)" }) id?: string;
  @Field(() => String, { nullable: true, description: 'Media: a public https link' }) link?: string;
  @Field(() => String, { nullable: true, description: 'DOCUMENT only: the file name the customer sees' }) filename?: string;
}

/** The parameter of one button of a template send. */
@InputType({ description: 'The parameter of one template button, by its position; give the one its type takes' })
export class TemplateButtonInput {
  @Field(() => Int, { description: 'The button’s position in the template, from 0' }) index!: number;
  @Field(() => String, { nullable: true, description: 'QUICK_REPLY: returned with the tap (at most 256 characters); without it, the label is' }) payload?: string;
  @Field(() => String, { nullable: true, description: "URL with {{1}}: the suffix that replaces {{1}} in the button's URL" }) text?: string;
  @Field(() => String, { nullable: true, description: 'COPY_CODE: the code copied (letters and digits, at most 15)' }) couponCode?: string;
}
