import { Field, InputType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

/** Which version of a Flow opens: the published one, or the draft (for testing it). */
export enum FlowMode {
  PUBLISHED = 'PUBLISHED',
  DRAFT = 'DRAFT',
}
registerEnumType(FlowMode, { name: 'FlowMode' });

/** How a Flow starts: on a screen we name (NAVIGATE), or by asking the business's Flow endpoint (DATA_EXCHANGE). */
export enum FlowAction {
  NAVIGATE = 'NAVIGATE',
  DATA_EXCHANGE = 'DATA_EXCHANGE',
}
registerEnumType(FlowAction, { name: 'FlowAction' });

/** A WhatsApp Flow behind a button (Meta's interactive `flow`). */
@InputType({ description: 'A message with a button that opens a WhatsApp Flow, by its id or its name' })
export class FlowInput {
  @Field(() => String, { nullable: true, description: "The Flow's id at Meta; give this or flowName" }) flowId?: string;
  @Field(() => String, { nullable: true, description: "The Flow's name; give this or flowId" }) flowName?: string;
  @Field(() => String, { description: 'The button label; at most 30 characters, no emoji' }) cta!: string;
  @Field(() => String, { description: 'At most 1,024 characters' }) body!: string;
  @Field(() => String, { nullable: true, description: 'Header text; at most 60 characters' }) header?: string;
  @Field(() => String, { nullable: true, description: 'At most 60 characters' }) footer?: string;
  @Field(() => FlowMode, { nullable: true, description: 'Default PUBLISHED' }) mode?: FlowMode;
  @Field(() => FlowAction, { nullable: true, description: 'Default NAVIGATE' }) action?: FlowAction;
  @Field(() => String, { nullable: true, description: 'The id of the first screen (NAVIGATE only); required with data' }) screen?: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Input of the first screen (NAVIGATE only); a non-empty object' }) data?: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: "Your identifier of this Flow's session, returned in the customer's answer; Meta's default is \"unused\"" }) token?: string;
}
