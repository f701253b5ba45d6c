/**
 * The columns of `message` that list pages, searches and event reads send to Node: every column but
 * `search_vector`, the words PostgreSQL keeps for the word index (word.search.ts), which nothing here
 * reads. With `select *` each row carried it as text as well: for 101 rows of 2,000-character
 * messages, reading them without it (and without `raw`) took 1.4–1.5 ms instead of 2.2–2.5.
 * message.columns.test.ts checks this list against the table, so a new column cannot be left out.
 * (The columns an ingest writes are message.ingest.ts' MESSAGE_COLUMNS.)
 */
export const MESSAGE_READ_COLUMNS = [
  'id', 'wa_message_id', 'client_message_id', 'contact_id', 'direction', 'type', 'wa_type', 'text', 'status', 'source',
  'business_phone_number_id', 'timestamp', 'created_at', 'updated_at', 'sent_at', 'delivered_at', 'read_at', 'played_at',
  'failed_at', 'error_code', 'error_title', 'error_message', 'error_details', 'payload', 'raw', 'context_wa_message_id',
  'forwarded', 'frequently_forwarded', 'referral', 'edited_at', 'edit_history', 'deleted_at', 'send_state', 'send_attempts',
  'send_attempted_at', 'bulk_send_id', 'revision',
] as const;

/** MESSAGE_READ_COLUMNS as a select list, each qualified with `alias` when given. */
export const messageSelect = (alias?: string) => MESSAGE_READ_COLUMNS.map((c) => (alias ? `${alias}."${c}"` : `"${c}"`)).join(', ');

/** The select list of `message` reads, made once: list pages, searches and event reads use it at every query. */
export const MESSAGE_SELECT = messageSelect();
