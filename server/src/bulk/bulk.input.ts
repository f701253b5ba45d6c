import { Field, ID, InputType } from 'type-graphql';
import { NamedParameterInput, TemplateInput } from '../messages/send.input.js';

/** One recipient of a bulk send, by contact id or by number / BSUID. */
@InputType({ description: 'One recipient of a bulk send, with its own template parameters' })
export class BulkRecipientInput {
  @Field(() => ID, { nullable: true }) contactId?: string;
  @Field(() => String, { nullable: true, description: 'Phone number or BSUID' }) to?: string;
  @Field(() => [String], { nullable: true, description: "Positional body parameters, overriding the template's" }) parameters?: string[];
  @Field(() => [NamedParameterInput], { nullable: true }) namedParameters?: NamedParameterInput[];
}

/** sendBulkMessage's input: the recipients, and the text or template they all get. */
@InputType({ description: 'The same text (inside open windows only) or template to many recipients' })
export class SendBulkMessageInput {
  @Field(() => [BulkRecipientInput]) recipients!: BulkRecipientInput[];
  @Field(() => String, { nullable: true }) text?: string;
  @Field(() => TemplateInput, { nullable: true }) template?: TemplateInput;
  @Field(() => String, { nullable: true, description: 'A label for the campaign' }) name?: string;
  @Field(() => String, { nullable: true, description: 'Your id for this bulk send; repeating it returns the first one instead of sending again' })
  clientBulkId?: string;
}
