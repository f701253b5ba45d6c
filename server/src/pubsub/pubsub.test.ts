import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LocalEvents, subscriberQueue } from './subscriber.queue.js';

describe("this process's subscribers", () => {
  it('a subscriber that takes no events has its subscription ended with SUBSCRIBER_TOO_SLOW past 500 waiting; publishing never throws', async () => {
    const local = new LocalEvents(pino({ level: 'silent' }));
    const stuck = local.subscribe('T')[Symbol.asyncIterator]();
    const live = local.subscribe('T')[Symbol.asyncIterator]();
    // Subscriptions start listening at their first pull, as graphql-ws makes it at once.
    const first = stuck.next();
    let pending = live.next();
    const got: unknown[] = [];
    for (let i = 0; i < 2000; i++) {
      expect(() => local.publish('T', i)).not.toThrow(); // past 1,024 the queue under it used to throw here
      got.push((await pending).value); // this one keeps up
      pending = live.next();
    }
    expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    const seen: unknown[] = [(await first).value];
    const error = await (async () => {
      for (;;) {
        const r = await stuck.next();
        if (r.done) return undefined;
        seen.push(r.value);
      }
    })().catch((e: unknown) => e);
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i)); // what it had, in order, then the error
    expect((error as { extensions?: { code?: string } })?.extensions?.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(local.has('T')).toBe(true);
    await live.return?.();
    await pending;
    expect(local.has('T')).toBe(false);
  });
});

describe('a subscriber queue', () => {
  const queue = () => {
    const ends: { offer?: (v: number) => void; end?: (err?: unknown) => void; attached: number; detached: number } = { attached: 0, detached: 0 };
    const q = subscriberQueue<number>((sink) => {
      Object.assign(ends, { offer: (v: number) => sink.offer(v), end: (err?: unknown) => sink.end(err), attached: ends.attached + 1 });
      return () => void ends.detached++;
    });
    return { q, ends };
  };

  it('listens from its first pull, hands out values in order, and reads what was queued before an end, then the error, then done', async () => {
    const { q, ends } = queue();
    expect(ends.attached).toBe(0);
    const first = q.next();
    expect(ends.attached).toBe(1);
    ends.offer!(1);
    ends.offer!(2);
    ends.offer!(3);
    expect(await first).toEqual({ value: 1, done: false });
    ends.end!(new Error('gone'));
    expect(ends.detached).toBe(1);
    ends.offer!(4); // after the end: not queued
    expect(await q.next()).toEqual({ value: 2, done: false });
    expect(await q.next()).toEqual({ value: 3, done: false });
    await expect(q.next()).rejects.toThrow('gone');
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('an end reaches a pull that is waiting: done, or the error', async () => {
    const a = queue();
    const pull = a.q.next();
    a.ends.end!();
    expect(await pull).toEqual({ value: undefined, done: true });
    const b = queue();
    const failing = b.q.next();
    b.ends.end!(new Error('no more'));
    await expect(failing).rejects.toThrow('no more');
  });

  it('return() stops listening, drops what was queued and finishes waiting pulls', async () => {
    const { q, ends } = queue();
    const pull = q.next();
    ends.offer!(1);
    ends.offer!(2); // queued
    await pull;
    const waiting = q.next(); // takes 2
    const next = q.next(); // waits
    expect(await waiting).toEqual({ value: 2, done: false });
    expect(await q.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await next).toEqual({ value: undefined, done: true });
    expect(ends.detached).toBe(1);
    ends.offer!(3);
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });
  it('a listener takes what was queued, then each value as it is offered, then the end; a listener that throws ends only itself', async () => {
    const { q, ends } = queue();
    const early = q.next(); // attaches
    ends.offer!(1);
    expect(await early).toEqual({ value: 1, done: false });
    ends.offer!(2); // queued: nobody pulls
    const got: unknown[] = [];
    const listener = { value: (v: number) => void got.push(v), ended: (err?: unknown) => void got.push(['ended', err]) };
    q.listen(listener);
    expect(got).toEqual([2]);
    ends.offer!(3);
    expect(got).toEqual([2, 3]); // at once, without a pull
    expect(await q.next()).toEqual({ value: undefined, done: true }); // pulls are not served any more
    ends.end!(new Error('gone'));
    expect(got).toEqual([2, 3, ['ended', new Error('gone')]]);
    expect(ends.detached).toBe(1);
    ends.offer!(4);
    expect(got).toHaveLength(3);

    const b = queue();
    const seen: unknown[] = [];
    b.q.listen({
      value: (v: number) => {
        if (v === 2) throw new Error('broken socket');
        seen.push(v);
      },
      ended: (err?: unknown) => void seen.push(['ended', (err as Error).message]),
    });
    expect(b.ends.attached).toBe(1); // listening attaches, as a first pull does
    b.ends.offer!(1);
    expect(() => b.ends.offer!(2)).not.toThrow();
    b.ends.offer!(3);
    expect(seen).toEqual([1, ['ended', 'broken socket']]);
    expect(b.ends.detached).toBe(1);

    const c = queue();
    const left: unknown[] = [];
    c.q.listen({ value: (v: number) => void left.push(v), ended: () => void left.push('ended') });
    await c.q.return(undefined); // the subscriber leaves: no end for it, and nothing after
    c.ends.offer!(1);
    expect(left).toEqual([]);
    expect(c.ends.detached).toBe(1);
  });
});

describe('NOTIFY payloads', () => {
  it('packs many notifications into few payloads under the 8,000-byte limit, in order', async () => {
    const { packNotifications } = await import('./topics.js');
    const many = Array.from({ length: 1000 }, (_, i) => ({ topic: 'MESSAGE_ADDED' as const, payload: { id: String(i), contactId: `ü${i % 7}` } }));
    const payloads = packNotifications(many);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.length).toBeLessThan(20);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    expect(payloads.flatMap((p) => JSON.parse(p))).toEqual(many);
  });
});
