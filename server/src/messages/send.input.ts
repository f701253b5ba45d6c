import { Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import { CatalogMessageInput, ProductInput, ProductListInput } from './send.input.catalog.js';
import { FlowInput } from './send.input.flow.js';
import { TemplateButtonInput, TemplateHeaderInput } from './send.input.template.js';

/** The kinds of media a message can send. */
export enum MediaKind {
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
  DOCUMENT = 'DOCUMENT',
  STICKER = 'STICKER',
}
registerEnumType(MediaKind, { name: 'MediaKind' });

/** Media to send, by Meta's media id or by link. */
@InputType({ description: "Media by Meta's media id (uploaded through POST /api/media) or by a public https link." })
export class MediaInput {
  @Field(() => MediaKind) kind!: MediaKind;
  @Field(() => String, { nullable: true }) id?: string;
  @Field(() => String, { nullable: true }) link?: string;
  @Field(() => String, { nullable: true, description: 'Not for audio and stickers; at most 1,024 characters' }) caption?: string;
  @Field(() => String, { nullable: true, description: 'Documents only' }) filename?: string;
  @Field(() => String, { nullable: true, description: 'Checked against the types Meta accepts for the kind' }) mimeType?: string;
  @Field(() => Float, { nullable: true, description: 'Checked against the size Meta accepts for the kind and type' }) sizeBytes?: number;
}

/** A location to send. */
@InputType()
export class LocationInput {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) address?: string;
}

/** A reaction to send to one of our stored messages. */
@InputType()
export class ReactionInput {
  @Field(() => ID, { description: 'Our id of the message reacted to' }) messageId!: string;
  @Field(() => String, { description: 'An emoji; empty removes the reaction' }) emoji!: string;
}

/** One reply button of an interactive message. */
@InputType()
export class ReplyButtonInput {
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'At most 20 characters' }) title!: string;
}

/** One row of an interactive list. */
@InputType()
export class ListRowInput {
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'At most 24 characters' }) title!: string;
  @Field(() => String, { nullable: true, description: 'At most 72 characters' }) description?: string;
}

/** One section of an interactive list. */
@InputType()
export class ListSectionInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => [ListRowInput]) rows!: ListRowInput[];
}

/** An interactive message: reply buttons or a list. */
@InputType({ description: 'Reply buttons (up to 3) or a list (up to 10 rows)' })
export class InteractiveInput {
  @Field(() => String) body!: string;
  @Field(() => String, { nullable: true }) header?: string;
  @Field(() => String, { nullable: true }) footer?: string;
  @Field(() => [ReplyButtonInput], { nullable: true }) buttons?: ReplyButtonInput[];
  @Field(() => String, { nullable: true, description: 'Label of the button that opens the list' }) listButton?: string;
  @Field(() => [ListSectionInput], { nullable: true }) sections?: ListSectionInput[];
}

/** A call-to-action URL button (Meta's interactive `cta_url`). */
@InputType({ description: 'A message with one button that opens a URL' })
export class CtaUrlInput {
  @Field(() => String, { description: 'At most 1,024 characters' }) body!: string;
  @Field(() => String, { description: 'The button label; at most 20 characters' }) displayText!: string;
  @Field(() => String, { description: 'An http(s) URL' }) url!: string;
  @Field(() => String, { nullable: true, description: 'Header text; at most 60 characters' }) header?: string;
  @Field(() => String, { nullable: true, description: 'At most 60 characters' }) footer?: string;
}

/** A request for the customer's location (Meta's interactive `location_request_message`). */
@InputType()
export class LocationRequestInput {
  @Field(() => String, { description: 'At most 1,024 characters' }) body!: string;
}

/** A phone number of a contact card. */
@InputType()
export class VCardPhoneInput {
  @Field(() => String) phone!: string;
  @Field(() => String, { nullable: true, description: 'HOME or WORK' }) type?: string;
  @Field(() => String, { nullable: true, description: 'Its WhatsApp id, which adds a "Message" button' }) waId?: string;
}

/** An email address of a contact card. */
@InputType()
export class VCardEmailInput {
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true, description: 'HOME or WORK' }) type?: string;
}

/** A URL of a contact card. */
@InputType()
export class VCardUrlInput {
  @Field(() => String) url!: string;
  @Field(() => String, { nullable: true, description: 'HOME or WORK' }) type?: string;
}

/** The organisation of a contact card. */
@InputType()
export class VCardOrgInput {
  @Field(() => String, { nullable: true }) company?: string;
  @Field(() => String, { nullable: true }) department?: string;
  @Field(() => String, { nullable: true }) title?: string;
}

/** One contact card (vCard) of a `contacts` message. */
@InputType()
export class VCardInput {
  @Field(() => String, { description: 'The name as shown' }) formattedName!: string;
  @Field(() => String, { nullable: true }) firstName?: string;
  @Field(() => String, { nullable: true }) lastName?: string;
  @Field(() => [VCardPhoneInput], { nullable: true }) phones?: VCardPhoneInput[];
  @Field(() => [VCardEmailInput], { nullable: true }) emails?: VCardEmailInput[];
  @Field(() => [VCardUrlInput], { nullable: true }) urls?: VCardUrlInput[];
  @Field(() => VCardOrgInput, { nullable: true }) org?: VCardOrgInput;
}

/** A named template parameter and its value. */
@InputType()
export class NamedParameterInput {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
}

/** A template to send, with its parameters. */
@InputType({ description: 'An approved template; body parameters positional ({{1}}…) or named ({{first_name}}), its header media and button parameters' })
export class TemplateInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'e.g. en_US' }) language!: string;
  @Field(() => [String], { nullable: true, description: 'Body parameters {{1}}, {{2}} … in order' }) parameters?: string[];
  @Field(() => [String], { nullable: true, description: 'Parameters of a text header, in order' }) headerParameters?: string[];
  @Field(() => [NamedParameterInput], { nullable: true, description: 'For templates with named placeholders (header and body)' }) namedParameters?: NamedParameterInput[];
  @Field(() => TemplateHeaderInput, { nullable: true, description: 'Required for a media header (IMAGE, VIDEO, DOCUMENT)' }) header?: TemplateHeaderInput;
  @Field(() => [TemplateButtonInput], { nullable: true, description: 'Required for URL buttons with {{1}} and COPY_CODE buttons; optional payloads for QUICK_REPLY buttons' }) buttons?: TemplateButtonInput[];
}

/** sendMessage's input: the recipient and exactly one kind of content. */
@InputType({ description: 'One message to a contact (by id) or to a phone number / BSUID: text, or exactly one of media, location, reaction, interactive, ctaUrl, contacts, locationRequest, product, productList, catalog, flow, template.' })
export class SendMessageInput {
  @Field(() => ID, { nullable: true }) contactId?: string;
  @Field(() => String, { nullable: true, description: 'Phone number (digits, + allowed) or BSUID (e.g. US.123...)' }) to?: string;
  @Field(() => String, { nullable: true, description: 'The text of a text message (at most 4,096 characters)' }) text?: string;
  @Field(() => Boolean, { nullable: true, description: 'Let WhatsApp render a link preview' }) previewUrl?: boolean;
  @Field(() => MediaInput, { nullable: true }) media?: MediaInput;
  @Field(() => LocationInput, { nullable: true }) location?: LocationInput;
  @Field(() => ReactionInput, { nullable: true }) reaction?: ReactionInput;
  @Field(() => InteractiveInput, { nullable: true }) interactive?: InteractiveInput;
  @Field(() => CtaUrlInput, { nullable: true }) ctaUrl?: CtaUrlInput;
  @Field(() => [VCardInput], { nullable: true, description: 'Contact cards: 1 to 5' }) contacts?: VCardInput[];
  @Field(() => LocationRequestInput, { nullable: true, description: 'Asks the customer to share their location' }) locationRequest?: LocationRequestInput;
  @Field(() => ProductInput, { nullable: true, description: 'One product of the catalog' }) product?: ProductInput;
  @Field(() => ProductListInput, { nullable: true, description: 'Up to 30 products of the catalog in sections' }) productList?: ProductListInput;
  @Field(() => CatalogMessageInput, { nullable: true, description: 'A button that opens the catalog' }) catalog?: CatalogMessageInput;
  @Field(() => FlowInput, { nullable: true, description: 'A button that opens a WhatsApp Flow' }) flow?: FlowInput;
  @Field(() => TemplateInput, { nullable: true, description: 'Templates may be sent outside the 24-hour window' }) template?: TemplateInput;
  @Field(() => ID, { nullable: true, description: 'Our id of the message to quote' }) replyToMessageId?: string;
  @Field(() => String, { nullable: true, description: 'Your id for this send; repeating it returns the first message instead of sending again' })
  clientMessageId?: string;
}
