import type { Logger } from 'pino';
import type { WebhookEventRepository } from './webhook-event.repository.js';

/** Rows per delete: each is a short transaction, so a claim never waits long behind one. */
const BATCH = 500;
/** Between two batches: a first run after a long time without pruning deletes millions, never all at once. */
const PAUSE_MS = 10;
/** How often a process looks for bodies past their retention. */
const INTERVAL_MS = 10 * 60_000;

/**
 * Deletes the bodies of events PROCESSED or DISMISSED more than `days` ago, batch after batch, until
 * none is left or another process is at it. Answers how many went.
 */
export async function pruneWebhookEvents(events: WebhookEventRepository, days: number, batch = BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await events.prune(days, batch);
    if (n === null) return total;
    total += n;
    if (n < batch) return total;
    await new Promise((r) => setTimeout(r, PAUSE_MS)); // the inbox and requests keep the disk between batches
  }
}

/** Prunes soon after the start and then every 10 minutes, off the event loop's keep-alive; returns stop. */
export function pruneWebhookEventsEvery(events: WebhookEventRepository, days: number, log: Logger): () => void {
  let running: Promise<unknown> | undefined;
  const run = () => {
    running ??= pruneWebhookEvents(events, days)
      .then((n) => n > 0 && log.info({ pruned: n, days }, 'webhook bodies past their retention deleted'))
      .catch((err: Error) => log.warn({ err: err.message }, 'pruning webhook events failed; retrying later'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, INTERVAL_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
