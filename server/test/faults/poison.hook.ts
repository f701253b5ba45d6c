/**
 * Test seam, never loaded by the server itself: a fault test preloads it into a server process
 * (`spawnServer(..., [POISON_HOOK])`) to make one webhook event a poison event. The process kills
 * itself (SIGKILL, as a crash of the runtime would) when it sends PostgreSQL a statement whose
 * parameters carry the text in `POISON_TEXT`, that is whenever it applies a message with that text.
 */
import pg from 'pg';

const marker = process.env.POISON_TEXT;
const carries = (value: unknown): boolean =>
  value != null && !Buffer.isBuffer(value) && (JSON.stringify(value) ?? '').includes(marker!);

if (marker) {
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { values?: unknown[] } | string | undefined;
    const values = (typeof config === 'object' && config?.values) || args[1];
    if (Array.isArray(values) && values.some(carries)) process.kill(process.pid, 'SIGKILL');
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
}
