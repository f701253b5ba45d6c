import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PgPubSub } from '../pubsub/pg.pubsub.js';
import { subscriberQueue } from '../pubsub/subscriber.queue.js';
import { notifyMany, type NotifySink } from '../pubsub/topics.js';
import { PresenceState, TYPING_TTL_MS, type PresenceSignal, type PresenceSnapshot, type PresentAgent } from './presence.state.js';

/** How often a process announces again the agents viewing conversations through it. */
export const HEARTBEAT_MS = 10_000;
/** Typing signals of one agent in one conversation are passed on at most once per this interval. */
export const TYPING_INTERVAL_MS = 1_000;
const SWEEP_MS = 500;

const keyOf = (contactId: string, agentId: string) => `${contactId}\u0000${agentId}`;

/**
 * Who views and who types where, kept in each server process's memory and never in a table. Each
 * process announces its own viewers (websocket subscriptions of `presenceChanged`) and its typing
 * signals through NOTIFY, in order (one batch in flight at a time), and its viewers again every
 * HEARTBEAT_MS; every process applies the others' announcements (PresenceState) and sweeps out what
 * expired.
 */
export class PresenceRegistry {
  /** This process's id in the announcements. */
  readonly process = randomUUID();
  private readonly state = new PresenceState();
  private readonly watchers = new Map<string, Set<() => void>>();
  /** This process's viewers by contact and agent (an agent may have a conversation open twice). */
  private readonly local = new Map<string, { contactId: string; agent: PresentAgent; count: number }>();
  /** When a typing signal was last passed on, by contact and agent. */
  private readonly relayed = new Map<string, number>();
  private outbox: PresenceSignal[] = [];
  private sending: Promise<void> | undefined;
  private readonly timers: NodeJS.Timeout[];
  private readonly stopListening: () => void;

  constructor(private readonly o: { pubsub: Pick<PgPubSub, 'on'>; pool: NotifySink; log: Logger }) {
    // Its own announcements were applied when made: only the other processes' are news.
    this.stopListening = o.pubsub.on('PRESENCE', (s) => {
      if (s.process === this.process) return;
      if (s.state === 'SYNC') this.heartbeat();
      else this.changed(this.state.apply(s, Date.now()));
    });
    this.timers = [setInterval(() => this.sweep(), SWEEP_MS), setInterval(() => this.heartbeat(), HEARTBEAT_MS)];
    for (const t of this.timers) t.unref();
    // A process starting knows nobody yet: the others announce their viewers now, not within HEARTBEAT_MS.
    this.send(this.signal('', { id: '', name: '' }, 'SYNC'));
  }

  /**
   * The presence in a conversation as `viewer` sees it (everyone but itself): now, then at every
   * change. While it is read, `viewer` (an agent; null for an API key) counts as viewing.
   */
  watch(contactId: string, viewer: PresentAgent | null): AsyncGenerator<PresenceSnapshot, undefined> {
    return subscriberQueue<PresenceSnapshot>((sink) => {
      let last: string | undefined;
      const push = () => {
        const snapshot = this.state.snapshot(contactId, viewer?.id);
        const text = JSON.stringify(snapshot.agents);
        if (text === last) return; // a change of the viewer's own presence only
        last = text;
        sink.offer(snapshot);
      };
      let set = this.watchers.get(contactId);
      if (!set) this.watchers.set(contactId, (set = new Set()));
      set.add(push);
      if (viewer) this.view(contactId, viewer);
      push();
      return () => {
        set.delete(push);
        if (set.size === 0 && this.watchers.get(contactId) === set) this.watchers.delete(contactId);
        if (viewer) this.leave(contactId, viewer);
      };
    });
  }

  /** Whether a typing signal would be passed on: at most one per TYPING_INTERVAL_MS, and a stop only while typing shows. */
  admits(contactId: string, agentId: string, typing: boolean, now = Date.now()): boolean {
    const shown = this.state.typing(contactId, agentId);
    if (!typing) return shown;
    return !shown || now - (this.relayed.get(keyOf(contactId, agentId)) ?? 0) >= TYPING_INTERVAL_MS;
  }

  /** `agent` types in (or stopped typing in) a conversation; false when the signal was not passed on (see `admits`). */
  typing(contactId: string, agent: PresentAgent, typing: boolean): boolean {
    const now = Date.now();
    if (!this.admits(contactId, agent.id, typing, now)) return false;
    if (typing) this.relayed.set(keyOf(contactId, agent.id), now);
    this.announce(this.signal(contactId, agent, typing ? 'TYPING' : 'IDLE'));
    return true;
  }

  /** After the listener was away (announcements may have been missed): forgets the others' and asks them again. */
  resync(): void {
    this.changed(this.state.forgetOthers(this.process));
    this.send(this.signal('', { id: '', name: '' }, 'SYNC'));
  }

  /** Stops the timers and waits for the announcements in flight. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.stopListening();
    await this.sending;
  }

  private view(contactId: string, agent: PresentAgent): void {
    const key = keyOf(contactId, agent.id);
    const mine = this.local.get(key);
    if (mine) return void mine.count++;
    this.local.set(key, { contactId, agent, count: 1 });
    this.announce(this.signal(contactId, agent, 'VIEWING'));
  }

  private leave(contactId: string, agent: PresentAgent): void {
    const key = keyOf(contactId, agent.id);
    const mine = this.local.get(key);
    if (!mine || --mine.count > 0) return;
    this.local.delete(key);
    this.announce(this.signal(contactId, agent, 'LEFT'));
  }

  private heartbeat(): void {
    for (const { contactId, agent } of this.local.values()) this.announce(this.signal(contactId, agent, 'VIEWING'));
  }

  private sweep(now = Date.now()): void {
    this.changed(this.state.sweep(now));
    for (const [key, at] of this.relayed) if (at + TYPING_TTL_MS <= now) this.relayed.delete(key);
  }

  private signal(contactId: string, agent: PresentAgent, state: PresenceSignal['state']): PresenceSignal {
    return { contactId, agentId: agent.id, name: agent.name, process: this.process, state };
  }

  /** Applies a signal here and sends it to the other processes. */
  private announce(s: PresenceSignal): void {
    this.changed(this.state.apply(s, Date.now()));
    this.send(s);
  }

  private send(s: PresenceSignal): void {
    this.outbox.push(s);
    this.sending ??= this.flush();
  }

  // One batch in flight at a time, so the other processes receive this one's signals in order (a
  // LEFT never overtakes the heartbeat before it); whatever queues meanwhile goes in the next batch.
  private async flush(): Promise<void> {
    while (this.outbox.length) {
      const batch = this.outbox.splice(0);
      await notifyMany(this.o.pool, batch.map((payload) => ({ topic: 'PRESENCE' as const, payload }))).catch((err: Error) => {
        this.o.log.warn({ err: err.message, signals: batch.length }, 'presence signals could not be sent; heartbeats and expiry repair them');
      });
    }
    this.sending = undefined;
  }

  private changed(contactIds: string[]): void {
    for (const contactId of contactIds) for (const push of this.watchers.get(contactId) ?? []) push();
  }
}
