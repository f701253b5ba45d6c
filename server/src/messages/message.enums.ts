import { registerEnumType } from 'type-graphql';

/** From a customer (INBOUND) or from the business (OUTBOUND). */
export enum MessageDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}
/** A message's kind; Meta's types this inbox does not know are UNSUPPORTED. */
export enum MessageType {
  TEXT = 'TEXT',
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
  DOCUMENT = 'DOCUMENT',
  STICKER = 'STICKER',
  LOCATION = 'LOCATION',
  CONTACTS = 'CONTACTS',
  INTERACTIVE = 'INTERACTIVE',
  BUTTON = 'BUTTON',
  REACTION = 'REACTION',
  TEMPLATE = 'TEMPLATE',
  ORDER = 'ORDER',
  SYSTEM = 'SYSTEM',
  UNSUPPORTED = 'UNSUPPORTED',
}
/** The displayed status: outbound PENDING → SENT → DELIVERED → READ, or FAILED (or UNKNOWN); inbound RECEIVED. */
export enum MessageStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  FAILED = 'FAILED',
  RECEIVED = 'RECEIVED',
  /** Not sent: its bulk send was cancelled first. */
  CANCELLED = 'CANCELLED',
  /**
   * The send's outcome is unknown (timeout, a gateway's 5xx, an answer without a wamid, a crash mid-call):
   * Meta may have taken it. A status webhook settles it; nothing resends it unless someone asks (resendMessage).
   */
  UNKNOWN = 'UNKNOWN',
}
/** Who wrote an outbound message: this inbox (API) or the WhatsApp Business app on the phone (echo). */
export enum MessageSource {
  CUSTOMER = 'CUSTOMER',
  API = 'API',
  BUSINESS_APP = 'BUSINESS_APP',
}

registerEnumType(MessageDirection, { name: 'MessageDirection' });
registerEnumType(MessageType, { name: 'MessageType' });
registerEnumType(MessageStatus, { name: 'MessageStatus' });
registerEnumType(MessageSource, { name: 'MessageSource' });
