/** Where Meta posts webhooks (and verifies the subscription with a GET). Its own module, so the bench's load process can import it without the server. */
export const WEBHOOK_PATH = '/api/whatsapp/webhook';
