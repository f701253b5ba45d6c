import { describe, expect, it } from 'vitest';
import { PresenceState, TYPING_TTL_MS, VIEW_TTL_MS, type PresenceSignal } from './presence.state.js';

const signal = (state: PresenceSignal['state'], process: string, agentId = 'a', name = 'Ada', contactId = '1'): PresenceSignal => ({ contactId, agentId, name, process, state });
/** What the conversation shows to someone else. */
const shows = (s: PresenceState, contactId = '1') => s.snapshot(contactId, 'nobody').agents.map((a) => `${a.agent.name}${a.typing ? ' typing' : ''}`).join(', ');

describe('presence state', () => {
  it('a viewer stays while its process announces it, and goes VIEW_TTL_MS after its process stopped (it died)', () => {
    const s = new PresenceState();
    expect(s.apply(signal('VIEWING', 'p1'), 0)).toEqual(['1']);
    expect(s.apply(signal('VIEWING', 'p1'), 10_000)).toEqual([]); // a heartbeat: nothing to show anew
    expect(s.sweep(VIEW_TTL_MS + 5_000)).toEqual([]);
    expect(shows(s)).toBe('Ada');
    expect(s.sweep(10_000 + VIEW_TTL_MS)).toEqual(['1']);
    expect(shows(s)).toBe('');
  });

  it('an agent viewing through two processes stays until both left', () => {
    const s = new PresenceState();
    s.apply(signal('VIEWING', 'p1'), 0);
    s.apply(signal('VIEWING', 'p2'), 0);
    expect(s.apply(signal('LEFT', 'p1'), 1)).toEqual([]);
    expect(shows(s)).toBe('Ada');
    expect(s.apply(signal('LEFT', 'p2'), 2)).toEqual(['1']);
    expect(shows(s)).toBe('');
  });

  it('typing shows until TYPING_TTL_MS after the last signal, or until a stop; viewing goes on', () => {
    const s = new PresenceState();
    s.apply(signal('VIEWING', 'p1'), 0);
    expect(s.apply(signal('TYPING', 'p2'), 0)).toEqual(['1']);
    expect(s.apply(signal('TYPING', 'p2'), 2_000)).toEqual([]);
    expect(s.sweep(2_000 + TYPING_TTL_MS - 1)).toEqual([]);
    expect(shows(s)).toBe('Ada typing');
    expect(s.sweep(2_000 + TYPING_TTL_MS)).toEqual(['1']);
    expect(shows(s)).toBe('Ada');
    s.apply(signal('TYPING', 'p1'), 8_000);
    expect(s.apply(signal('IDLE', 'p2'), 8_100)).toEqual(['1']);
    expect(shows(s)).toBe('Ada');
  });

  it('after missed announcements it forgets what other processes said, and keeps its own viewers', () => {
    const s = new PresenceState();
    s.apply(signal('VIEWING', 'me', 'a', 'Ada'), 0);
    s.apply(signal('VIEWING', 'other', 'b', 'Bob'), 0);
    s.apply(signal('TYPING', 'other', 'b', 'Bob'), 0);
    expect(shows(s)).toBe('Ada, Bob typing');
    expect(s.forgetOthers('me')).toEqual(['1']);
    expect(shows(s)).toBe('Ada');
  });

  it('the caller is not among the agents it is shown; SYNC changes nothing', () => {
    const s = new PresenceState();
    s.apply(signal('VIEWING', 'p1', 'a', 'Ada'), 0);
    s.apply(signal('VIEWING', 'p1', 'b', 'Bob'), 0);
    expect(s.apply(signal('SYNC', 'p2', '', '', ''), 0)).toEqual([]);
    expect(s.snapshot('1', 'a').agents.map((x) => x.agent.name)).toEqual(['Bob']);
  });
});
