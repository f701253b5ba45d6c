import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Initial } from './Migration20261126000000Initial.js';
import { Migration20261126010000Outbound } from './Migration20261126010000Outbound.js';
import { Migration20261126030000BulkSend } from './Migration20261126030000BulkSend.js';
import { Migration20261126020000TemplatesMedia } from './Migration20261126020000TemplatesMedia.js';
import { Migration20261126050000QueryIndexes } from './Migration20261126050000QueryIndexes.js';
import { Migration20261126060000WebhookEventToast } from './Migration20261126060000WebhookEventToast.js';
import { Migration20261126070000ContactCount } from './Migration20261126070000ContactCount.js';
import { Migration20261126080000WordSearch } from './Migration20261126080000WordSearch.js';
import { Migration20261126090000SearchWords } from './Migration20261126090000SearchWords.js';
import { Migration20261126100000GinPendingLimit } from './Migration20261126100000GinPendingLimit.js';
import { Migration20261126110000DaySearch } from './Migration20261126110000DaySearch.js';
import { Migration20261126120000ClaimEvents } from './Migration20261126120000ClaimEvents.js';
import { Migration20261126130000NewWordsUnchecked } from './Migration20261126130000NewWordsUnchecked.js';
import { Migration20261127000000MessageRevision } from './Migration20261127000000MessageRevision.js';
import { Migration20261206000000Identity } from './Migration20261206000000Identity.js';
import { Migration20261206010000SentBy } from './Migration20261206010000SentBy.js';
import { Migration20261206100000ClaimCountsAttempts } from './Migration20261206100000ClaimCountsAttempts.js';
import { Migration20261206110000Assignment } from './Migration20261206110000Assignment.js';
import { Migration20261206140000UnknownOutcome } from './Migration20261206140000UnknownOutcome.js';
import { Migration20261206120000NotesCanned } from './Migration20261206120000NotesCanned.js';
import { Migration20261206130000Audit } from './Migration20261206130000Audit.js';

/** Checked-in migrations, oldest first. Add new ones at the end. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000Initial', class: Migration20261126000000Initial },
  { name: 'Migration20261126010000Outbound', class: Migration20261126010000Outbound },
  { name: 'Migration20261126020000TemplatesMedia', class: Migration20261126020000TemplatesMedia },
  { name: 'Migration20261126030000BulkSend', class: Migration20261126030000BulkSend },
  { name: 'Migration20261126050000QueryIndexes', class: Migration20261126050000QueryIndexes },
  { name: 'Migration20261126060000WebhookEventToast', class: Migration20261126060000WebhookEventToast },
  { name: 'Migration20261126070000ContactCount', class: Migration20261126070000ContactCount },
  { name: 'Migration20261126080000WordSearch', class: Migration20261126080000WordSearch },
  { name: 'Migration20261126090000SearchWords', class: Migration20261126090000SearchWords },
  { name: 'Migration20261126100000GinPendingLimit', class: Migration20261126100000GinPendingLimit },
  { name: 'Migration20261126110000DaySearch', class: Migration20261126110000DaySearch },
  { name: 'Migration20261126120000ClaimEvents', class: Migration20261126120000ClaimEvents },
  { name: 'Migration20261126130000NewWordsUnchecked', class: Migration20261126130000NewWordsUnchecked },
  { name: 'Migration20261127000000MessageRevision', class: Migration20261127000000MessageRevision },
  { name: 'Migration20261206000000Identity', class: Migration20261206000000Identity },
  { name: 'Migration20261206010000SentBy', class: Migration20261206010000SentBy },
  { name: 'Migration20261206100000ClaimCountsAttempts', class: Migration20261206100000ClaimCountsAttempts },
  { name: 'Migration20261206110000Assignment', class: Migration20261206110000Assignment },
  { name: 'Migration20261206140000UnknownOutcome', class: Migration20261206140000UnknownOutcome },
  { name: 'Migration20261206120000NotesCanned', class: Migration20261206120000NotesCanned },
  { name: 'Migration20261206130000Audit', class: Migration20261206130000Audit },
];
