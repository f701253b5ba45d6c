import type { Topics } from '../pubsub/topics.js';

/** A presence announcement as it travels between processes. */
export type PresenceSignal = Topics['PRESENCE'];

/** A viewer its process has not announced for this long is gone (that process died). */
export const VIEW_TTL_MS = 25_000;
/** An agent shows as typing until this long after its last typing signal. */
export const TYPING_TTL_MS = 5_000;

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
  /** When the typing shown runs out (0: not typing, or swept). */
  typingUntil: number;
}

/**
 * Who views and who types in which conversation, from every process's announcements, with their
 * expiry. Time is passed in, and what shows changes only in `apply`, `sweep` and `forgetOthers`,
 * each of which returns the conversations whose presence changed.
 */
export class PresenceState {
  private readonly conversations = new Map<string, Map<string, Entry>>();

  /** Applies an announcement (SYNC is not about a conversation and changes nothing here). */
  apply(s: PresenceSignal, now: number): string[] {
    if (s.state === 'SYNC') return [];
    let byAgent = this.conversations.get(s.contactId);
    let entry = byAgent?.get(s.agentId);
    const before = shown(entry);
    if (!entry && (s.state === 'VIEWING' || s.state === 'TYPING')) {
      if (!byAgent) this.conversations.set(s.contactId, (byAgent = new Map()));
      entry = { agent: { id: s.agentId, name: s.name }, views: new Map(), typingUntil: 0 };
      byAgent.set(s.agentId, entry);
    }
    if (!entry || !byAgent) return [];
    entry.agent = { id: s.agentId, name: s.name };
    if (s.state === 'VIEWING') entry.views.set(s.process, now + VIEW_TTL_MS);
    else if (s.state === 'LEFT') entry.views.delete(s.process);
    else if (s.state === 'TYPING') entry.typingUntil = now + TYPING_TTL_MS;
    else entry.typingUntil = 0;
    this.forgetIdle(s.contactId, byAgent, entry);
    return shown(entry) !== before ? [s.contactId] : [];
  }

  /** Forgets what ran out by `now`: typing without a new signal, viewers no longer announced. */
  sweep(now: number): string[] {
    return this.each((entry) => {
      for (const [process, until] of entry.views) if (until <= now) entry.views.delete(process);
      if (entry.typingUntil && entry.typingUntil <= now) entry.typingUntil = 0;
    });
  }

  /** Forgets the viewers other processes announced, and all typing (after announcements may have been missed). */
  forgetOthers(process: string): string[] {
    return this.each((entry) => {
      for (const p of entry.views.keys()) if (p !== process) entry.views.delete(p);
      entry.typingUntil = 0;
    });
  }

  /** Whether `agentId` shows as typing in the conversation. */
  typing(contactId: string, agentId: string): boolean {
    return (this.conversations.get(contactId)?.get(agentId)?.typingUntil ?? 0) > 0;
  }

  /** The agents in a conversation but `except`, by name. */
  snapshot(contactId: string, except: string | undefined): PresenceSnapshot {
    const agents = [...(this.conversations.get(contactId)?.values() ?? [])]
      .filter((e) => e.agent.id !== except)
      .map((e) => ({ agent: e.agent, typing: e.typingUntil > 0 }))
      .sort((a, b) => a.agent.name.localeCompare(b.agent.name) || a.agent.id.localeCompare(b.agent.id));
    return { contactId, agents };
  }

  private each(change: (entry: Entry) => void): string[] {
    const changed: string[] = [];
    for (const [contactId, byAgent] of this.conversations) {
      let any = false;
      for (const entry of byAgent.values()) {
        const before = shown(entry);
        change(entry);
        this.forgetIdle(contactId, byAgent, entry);
        any ||= shown(entry) !== before;
      }
      if (any) changed.push(contactId);
    }
    return changed;
  }

  private forgetIdle(contactId: string, byAgent: Map<string, Entry>, entry: Entry): void {
    if (entry.views.size > 0 || entry.typingUntil > 0) return;
    byAgent.delete(entry.agent.id);
    if (byAgent.size === 0) this.conversations.delete(contactId);
  }
}

/** What watchers see of an entry: gone, viewing or typing, and under which name. Expiry happens in sweeps, so this reads no clock. */
function shown(entry: Entry | undefined): string {
  if (!entry || (entry.views.size === 0 && entry.typingUntil === 0)) return '';
  return `${entry.agent.name}\u0000${entry.typingUntil > 0 ? 'typing' : 'viewing'}`;
}
