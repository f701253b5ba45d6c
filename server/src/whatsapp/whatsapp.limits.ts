/** What Meta accepts, from the integration digest (§7.2 message limits, §9 media types and sizes). */

const MB = 1024 * 1024;

/** Accepted MIME types and largest size per media kind. */
export const MEDIA_RULES: Record<'IMAGE' | 'VIDEO' | 'AUDIO' | 'DOCUMENT' | 'STICKER', { types: string[]; maxBytes: number }> = {
  IMAGE: { types: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  VIDEO: { types: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  AUDIO: { types: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB },
  DOCUMENT: {
    types: [
      'application/pdf', 'text/plain', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
  STICKER: { types: ['image/webp'], maxBytes: 500 * 1024 } // animated; static ones 100 KB,
};

/** Character and count limits of message parts. */
export const LIMITS = { text: 4096, caption: 1024, buttonTitle: 20, buttons: 3, rowTitle: 24, rowDescription: 72, rows: 10, sections: 10, body: 1024, header: 60, footer: 60, listButton: 20, ctaDisplayText: 20, contacts: 5, productSections: 10, productSectionTitle: 24, products: 30, flowCta: 30 };

/*
 * Where the limits of the newer kinds come from:
 * - cta_url body ≤ 1024, header ≤ 60, footer ≤ 60: BodyObject, HeaderObject, FooterObject of the OpenAPI description (v23.0).
 * - cta_url display_text ≤ 20: Meta's interactive-cta-url-messages page (the description has no cta_url action).
 * - cta_url url: http(s) only, per that page ("URL to load in the device's default web browser").
 * - location_request_message body ≤ 1024: BodyObject of the description; its action is only `{ name: 'send_location' }`.
 * - contacts 1 to 5, phone/email/url types HOME or WORK, phone/email/url required in their objects: ContactsMessage and ContactObject of the description.
 * - a contact's name.formatted_name: required by Meta's contacts-messages page (the description leaves NameObject open).
 * - product / product_list / catalog_message body ≤ 1024, header ≤ 60, footer ≤ 60: BodyObject, HeaderObject, FooterObject of the description.
 * - product: body optional, no header: BodyObject ("Optional for 'product' type") and HeaderObject ("Cannot be set for 'product' type").
 * - product: catalog_id and product_retailer_id required: ActionObject's catalog branch ("Required for Single Product Messages").
 * - product_list header (text) required: HeaderObject ("Required for 'product_list' type"); body required: BodyObject.
 * - product_list 1 to 10 sections: ActionObject's catalog branch (sections minItems 1, maxItems 10).
 * - product_list section title ≤ 24: SectionObject; the description requires it only with several sections, we on every one so the customer sees what each holds.
 * - product_list 1 to 30 products per section: SectionObject.product_items (minItems 1, maxItems 30).
 * - product_list ≤ 30 products in all: Meta's multi-product messages page (the description bounds only each section).
 * - catalog_message body required: BodyObject; action { name: catalog_message }: ActionObject's catalog_message branch.
 * - catalog_message thumbnail_product_retailer_id optional: Meta's catalog-messages page (the description requires it; a GAP in whatsapp.openapi.test.ts).
 * - flow: exactly one of flow_id and flow_name: ActionObject's flow branch (oneOf) and Meta's interactive-flow-messages page ("Cannot be used with …").
 * - flow flow_id: a Graph API object id, digits only (Meta's ids are numeric strings; its examples' placeholder {{Flow-ID}} stands for one).
 * - flow flow_cta ≤ 30, no emoji: ActionObject's flow branch (maxLength 30, "Advised 30 characters or less, no emoji"); Meta's older sending-a-flow page said 20, its current page 30.
 * - flow body required ≤ 1024, header ≤ 60, footer ≤ 60: BodyObject (required for every interactive type but product), HeaderObject, FooterObject.
 * - flow flow_message_version "3", mode draft | published, flow_action navigate | data_exchange: the flow branch's enums.
 * - flow flow_action_payload only with navigate ("Should be omitted otherwise"), its data a non-empty object: Meta's interactive-flow-messages page and the description.
 * - flow screen required when data is given: data is the input of one screen, so we name it rather than leave Meta to pick FIRST_ENTRY_SCREEN (our rule, stricter than Meta's).
 */

/** The version of Flow messages Meta takes ("Must be \"3\"" in the flow branch of ActionObject). */
export const FLOW_MESSAGE_VERSION = '3';

/** Limits of a template send's header and button parameters. */
export const TEMPLATE_LIMITS = { buttonPayload: 256, couponCode: 15, url: 2000 };

/*
 * Where the template send limits come from:
 * - header media: one image, video or document by id or link, no caption: ImageParameter, VideoParameter, DocumentParameter of the description.
 * - quick reply payload ≤ 256: Meta states none for templates; we hold it to the reply button id's (interactive-reply-buttons-messages page), which the same tap returns.
 * - URL button: the template's URL with the suffix for {{1}} ≤ 2000 characters: Meta's template components page (URL buttons).
 * - copy code ≤ 15 characters, letters and digits only: Meta's coupon-templates page ("Only accepting alphanumeric characters").
 */

/** The types a contact card's phone, email or URL may have (ContactObject of the description). */
export const VCARD_TYPES = ['HOME', 'WORK'];

/** Largest upload Meta takes for each MIME type. */
export const UPLOAD_LIMITS: Record<string, number> = Object.fromEntries(
  Object.values(MEDIA_RULES).flatMap((rule) => rule.types.map((type) => [type, rule.maxBytes])),
);
