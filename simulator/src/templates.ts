import type { SimTemplate } from './types.js';

/**
 * Templates seeded when none are given: two approved, one pending, one rejected, then three approved
 * with media headers and buttons (an image header and a URL button with a suffix, a document header,
 * a copy code button).
 */
export function defaultTemplates(): SimTemplate[] {
  return [
    {
      id: '1000000000000001', name: 'hello_world', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
        { type: 'BODY', text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta.' },
        { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
      ],
    },
    {
      id: '1000000000000002', name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      components: [
        { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.', example: { body_text: [['Ada', '#1042']] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track it' }] },
      ],
    },
    {
      id: '1000000000000003', name: 'spring_sale', language: 'en_US', status: 'PENDING', category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Spring sale: 20% off everything until Sunday.' }],
    },
    {
      id: '1000000000000004', name: 'win_big', language: 'en_US', status: 'REJECTED', category: 'MARKETING',
      components: [{ type: 'BODY', text: 'You won! Click now to claim your prize.' }],
    },
    {
      id: '1000000000000005', name: 'order_shipped_photo', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.whatsapp.net/v/sample-parcel.jpg'] } },
        { type: 'BODY', text: 'Hi {{1}}, your order is on its way.', example: { body_text: [['Ada']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'URL', text: 'Track order', url: 'https://example.com/track/{{1}}', example: ['https://example.com/track/A1B2C3'] },
            { type: 'QUICK_REPLY', text: 'Stop updates' },
          ],
        },
      ],
    },
    {
      id: '1000000000000006', name: 'invoice_ready', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['https://scontent.whatsapp.net/v/sample-invoice.pdf'] } },
        { type: 'BODY', text: 'Your invoice {{1}} is attached.', example: { body_text: [['INV-1042']] } },
      ],
    },
    {
      id: '1000000000000007', name: 'spring_coupon', language: 'en_US', status: 'APPROVED', category: 'MARKETING',
      components: [
        { type: 'BODY', text: 'Spring is here: 20% off everything with the code below.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'COPY_CODE', text: 'Copy offer code', example: ['SPRING20'] },
            { type: 'URL', text: 'Shop now', url: 'https://example.com/shop' },
          ],
        },
      ],
    },
  ];
}

/** Number of distinct `{{…}}` placeholders in a template's BODY component. */
export function bodyParamCount(t: SimTemplate): number {
  const body = t.components.find((c) => String(c.type).toUpperCase() === 'BODY');
  const text = typeof body?.text === 'string' ? body.text : '';
  return new Set(text.match(/\{\{\s*[\w]+\s*\}\}/g) ?? []).size;
}

/** Opaque paging cursor for a list index. */
export function encodeCursor(index: number): string {
  return Buffer.from(`i:${index}`).toString('base64url');
}

/** Reverses {@link encodeCursor}; undefined when the cursor is not ours. */
export function decodeCursor(cursor: string): number | undefined {
  const m = /^i:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}
