// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { duration, TeamPanel, TeamStatsQuery } from './TeamPanel';

afterEach(cleanup);

const figures = (assigned: number, closed: number, sent: number, median: number | null, p90: number | null) => ({
  conversationsAssigned: assigned, conversationsClosed: closed, messagesSent: sent, firstResponses: median == null ? 0 : 3,
  firstResponseMedianSeconds: median, firstResponseP90Seconds: p90,
});
const agentRow = (id: string, name: string, f: ReturnType<typeof figures>) => ({ __typename: 'AgentStats' as const, agent: { __typename: 'Agent' as const, id, name }, ...f });

function show(waiting: Array<{ id: string; name: string; hoursAgo: number }>) {
  const onOpen = vi.fn();
  const team = {
    __typename: 'TeamStats' as const,
    from: '2026-01-05T00:00:00.000Z',
    to: '2026-01-12T00:00:00.000Z',
    agents: [agentRow('7', 'Ada', figures(4, 2, 31, 450, 1020)), agentRow('8', 'Bob', figures(0, 0, 0, null, null))],
    overall: { __typename: 'TeamFigures' as const, ...figures(5, 3, 31, 450, 1500) },
    waitingLongest: waiting.map((w) => ({ __typename: 'Contact' as const, id: w.id, name: w.name, lastInboundAt: new Date(Date.now() - w.hoursAgo * 3600_000).toISOString() })),
  };
  render(
    <MockedProvider mocks={[{ request: { query: TeamStatsQuery }, result: { data: { stats: { __typename: 'Stats', team } } } }]} cache={createCache()}>
      <TeamPanel onOpen={onOpen} onClose={() => undefined} />
    </MockedProvider>,
  );
  return { onOpen };
}

describe('the team panel', () => {
  test("shows each agent's week and everyone's, with first reply times a person reads", async () => {
    show([]);
    const ada = (await screen.findByRole('rowheader', { name: 'Ada' })).closest('tr')!;
    expect(within(ada).getAllByRole('cell').map((c) => c.textContent)).toEqual(['4', '2', '31', '8 min', '17 min']);
    const bob = screen.getByRole('rowheader', { name: 'Bob' }).closest('tr')!;
    expect(within(bob).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0', '0', '0', '–', '–']);
    const all = screen.getByRole('rowheader', { name: 'Everyone' }).closest('tr')!;
    expect(within(all).getAllByRole('cell').map((c) => c.textContent)).toEqual(['5', '3', '31', '8 min', '25 min']);
    expect(screen.getByText('Nobody is waiting for a reply.')).toBeTruthy();
  });

  test('lists who waits longest with how long; choosing one opens their conversation', async () => {
    const { onOpen } = show([{ id: '41', name: 'Maria', hoursAgo: 5 }, { id: '42', name: 'Li', hoursAgo: 3 }]);
    const items = await screen.findAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['Mariawaiting 5 h', 'Liwaiting 3 h']);
    fireEvent.click(within(items[1]!).getByRole('button'));
    expect(onOpen).toHaveBeenCalledWith('42');
  });

  test('durations', () => {
    expect([duration(45), duration(600), duration(5400), duration(3 * 86400), duration(null)]).toEqual(['45 s', '10 min', '1.5 h', '3 d', '–']);
  });
});
