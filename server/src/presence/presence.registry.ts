import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PgPubSub } from '../pubsub/pg.pubsub.js';
import { subscriberQueue } from '../pubsub/subscriber.queue.js';
import { notifyMany, type NotifySink, type Topics } from '../pubsub/topics.js';

type Signal = Topics['PRESENCE'];

/** How often a process announces again the agents viewing conversations through it. */
export const HEARTBEAT_MS = 10_000;
/** A viewer its process has not announced for this long is gone (that process died). */
export const VIEW_TTL_MS = 25_000;
/** An agent shows as typing until this long after its last typing signal. */
export const TYPING_TTL_MS = 5_000;
/** Typing signals of one agent in one conversation are passed on at most once per this interval. */
export const TYPING_INTERVAL_MS = 1_000;
const SWEEP_MS = 500;

/** An agent as presence shows it (from its session: no database read). */
export interface PresentAgent {
  id: string;
  name: string;
}

/** Who else has a conversation open, and who of them is typing a reply. */
export interface PresenceSnapshot {
  contactId: string;
  agents: Array<{ agent: PresentAgent; typing: boolean }>;
}

interface Entry {
  agent: PresentAgent;
  /** Server process → when its announcement of this viewer runs out. */
  views: Map<string, number>;
  /** When the typing shown runs out (0: not typing). */
  typingUntil: number;
}

const keyOf = (contactId: string, agentId: string) => `${contactId}\u0000${agentId}`;

/**
 * Who views and who types where, kept in each server process's memory and never in a table. Each
 * process announces its own viewers (websocket subscriptions of `presenceChanged`) and its typing
 * signals through NOTIFY, in order (one batch in flight at a time), and again every HEARTBEAT_MS;
 * every process applies the others' announcements, and forgets what expires: typing after
 * TYPING_TTL_MS without a new signal, viewers of a process that stopped announcing after VIEW_TTL_MS.
 */
export class PresenceRegistry {
  /** This process's id in the announcements. */
  readonly process = randomUUID();
  private readonly conversations = new Map<string, Map<string, Entry>>();
  private readonly watchers = new Map<string, Set<() => void>>();
  /** This process's viewers by contact and agent (an agent may have a conversation open twice). */
  private readonly local = new Map<string, { contactId: string; agent: PresentAgent; count: number }>();
  /** When a typing signal was last passed on, by contact and agent. */
  private readonly relayed = new Map<string, number>();
  private outbox: Signal[] = [];
  private sending: Promise<void> | undefined;
  private readonly timers: NodeJS.Timeout[];
  private readonly stopListening: () => void;

  constructor(private readonly o: { pubsub: Pick<PgPubSub, 'on'>; pool: NotifySink; log: Logger }) {
    // Its own announcements were applied when made: only the other processes' are news.
    this.stopListening = o.pubsub.on('PRESENCE', (s) => {
      if (s.process !== this.process) this.apply(s);
    });
    this.timers = [setInterval(() => this.sweep(), SWEEP_MS), setInterval(() => this.heartbeat(), HEARTBEAT_MS)];
    for (const t of this.timers) t.unref();
  }

  /**
   * The presence in a conversation as `viewer` sees it (everyone but itself): now, then at every
   * change. While it is read, `viewer` (an agent; null for an API key) counts as viewing.
   */
  watch(contactId: string, viewer: PresentAgent | null): AsyncGenerator<PresenceSnapshot, undefined> {
    return subscriberQueue<PresenceSnapshot>((offer) => {
      let last: string | undefined;
      const push = () => {
        const snapshot = this.snapshot(contactId, viewer?.id);
        const text = JSON.stringify(snapshot.agents);
        if (text === last) return; // a change of the viewer's own presence only
        last = text;
        offer(snapshot);
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
    const shown = (this.conversations.get(contactId)?.get(agentId)?.typingUntil ?? 0) > 0;
    if (!typing) return shown;
    return !shown || now - (this.relayed.get(keyOf(contactId, agentId)) ?? 0) >= TYPING_INTERVAL_MS;
  }

  /** `agent` types in (or stopped typing in) a conversation; false when the signal was not passed on (see `admits`). */
  typing(contactId: string, agent: PresentAgent, typing: boolean): boolean {
    const now = Date.now();
    if (!this.admits(contactId, agent.id, typing, now)) return false;
    if (typing) this.relayed.set(keyOf(contactId, agent.id), now);
    this.announce({ contactId, agentId: agent.id, name: agent.name, process: this.process, state: typing ? 'TYPING' : 'IDLE' });
    return true;
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
    this.announce({ contactId, agentId: agent.id, name: agent.name, process: this.process, state: 'VIEWING' });
  }

  private leave(contactId: string, agent: PresentAgent): void {
    const key = keyOf(contactId, agent.id);
    const mine = this.local.get(key);
    if (!mine || --mine.count > 0) return;
    this.local.delete(key);
    this.announce({ contactId, agentId: agent.id, name: agent.name, process: this.process, state: 'LEFT' });
  }

  private heartbeat(): void {
    for (const { contactId, agent } of this.local.values()) {
      this.announce({ contactId, agentId: agent.id, name: agent.name, process: this.process, state: 'VIEWING' });
    }
  }

  /** Applies a signal here and sends it to the other processes. */
  private announce(s: Signal): void {
    this.apply(s);
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

  private apply(s: Signal, now = Date.now()): void {
    let byAgent = this.conversations.get(s.contactId);
    let entry = byAgent?.get(s.agentId);
    const before = shown(entry);
    if (!entry && (s.state === 'VIEWING' || s.state === 'TYPING')) {
      if (!byAgent) this.conversations.set(s.contactId, (byAgent = new Map()));
      entry = { agent: { id: s.agentId, name: s.name }, views: new Map(), typingUntil: 0 };
      byAgent.set(s.agentId, entry);
    }
    if (!entry || !byAgent) return;
    entry.agent = { id: s.agentId, name: s.name };
    if (s.state === 'VIEWING') entry.views.set(s.process, now + VIEW_TTL_MS);
    else if (s.state === 'LEFT') entry.views.delete(s.process);
    else if (s.state === 'TYPING') entry.typingUntil = now + TYPING_TTL_MS;
    else entry.typingUntil = 0;
    this.forgetIdle(s.contactId, byAgent, entry);
    if (shown(entry) !== before) this.changed(s.contactId);
  }

  private sweep(now = Date.now()): void {
    for (const [contactId, byAgent] of this.conversations) {
      let changed = false;
      for (const entry of byAgent.values()) {
        const before = shown(entry);
        for (const [process, until] of entry.views) if (until <= now) entry.views.delete(process);
        if (entry.typingUntil && entry.typingUntil <= now) entry.typingUntil = 0;
        this.forgetIdle(contactId, byAgent, entry);
        changed ||= shown(entry) !== before;
      }
      if (changed) this.changed(contactId);
    }
    for (const [key, at] of this.relayed) if (at + TYPING_TTL_MS <= now) this.relayed.delete(key);
  }

  private forgetIdle(contactId: string, byAgent: Map<string, Entry>, entry: Entry): void {
    if (entry.views.size > 0 || entry.typingUntil > 0) return;
    byAgent.delete(entry.agent.id);
    if (byAgent.size === 0) this.conversations.delete(contactId);
  }

  private changed(contactId: string): void {
    for (const push of this.watchers.get(contactId) ?? []) push();
  }

  private snapshot(contactId: string, except: string | undefined): PresenceSnapshot {
    const agents = [...(this.conversations.get(contactId)?.values() ?? [])]
      .filter((e) => e.agent.id !== except)
      .map((e) => ({ agent: e.agent, typing: e.typingUntil > 0 }))
      .sort((a, b) => a.agent.name.localeCompare(b.agent.name) || a.agent.id.localeCompare(b.agent.id));
    return { contactId, agents };
  }
}

/** What watchers see of an entry: gone, viewing or typing, and under which name. Expiry happens in sweeps, so this reads no clock. */
function shown(entry: Entry | undefined): string {
  if (!entry || (entry.views.size === 0 && entry.typingUntil === 0)) return '';
  return `${entry.agent.name}\u0000${entry.typingUntil > 0 ? 'typing' : 'viewing'}`;
}
