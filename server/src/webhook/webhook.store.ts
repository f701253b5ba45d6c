import DataLoader from 'dataloader';
import type { StoredEvent, WebhookEventRepository } from './webhook-event.repository.js';

/** Stores one webhook event; resolves once it is committed. */
export type StoreEvent = (event: StoredEvent) => Promise<void>;

/** Rows in one insert (two parameters each). */
const MAX_BATCH = 200;

/** Inserts at a time; events arriving meanwhile wait and go together in the next one. */
const MAX_IN_FLIGHT = 2;

/**
 * Stores webhook events, those that arrive together in one insert (a group commit), so a burst
 * commits per batch rather than per event; each is answered once its insert committed. A batch
 * PostgreSQL refuses for its data (SQLSTATE 22, 23) is inserted event by event, so one bad event
 * does not fail the others.
 */
export function webhookStore(events: WebhookEventRepository): StoreEvent {
  // Batches dispatched or scheduled.
  let active = 0;
  const waiting: Array<() => void> = [];
  const loader = new DataLoader<StoredEvent, true>(
    async (batch) => {
      try {
        return await insertEvents(events, batch);
      } finally {
        const next = waiting.shift();
        if (next) next(); // the slot passes to the batch that gathered meanwhile
        else active--;
      }
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH,
      // After the events read in this turn of the event loop, or once a running insert ends.
      batchScheduleFn: (dispatch) => {
        if (active < MAX_IN_FLIGHT) {
          active++;
          setImmediate(dispatch);
        } else waiting.push(dispatch);
      },
    },
  );
  return async (event) => {
    await loader.load(event);
  };
}

async function insertEvents(repository: WebhookEventRepository, events: readonly StoredEvent[]): Promise<Array<true | Error>> {
  try {
    await repository.store(events);
    return events.map(() => true);
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? '');
    if (events.length === 1 || !/^2[23]/.test(code)) throw err;
    return Promise.all(events.map((e) => repository.store([e]).then(() => true as const, (err: Error) => err)));
  }
}
