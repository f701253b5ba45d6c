// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ConnectionContext, useConnectionState, usePollInterval } from '../shared/useConnection';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ConnectionMonitor } from './connection';

afterEach(cleanup);

describe('ConnectionMonitor', () => {
  test('connecting → live → polling → offline → polling → live', () => {
    const m = new ConnectionMonitor();
    expect(m.state).toBe('connecting');
    m.httpChanged(true);
    expect(m.state).toBe('connecting'); // HTTP alone doesn't say whether the websocket will come
    m.wsChanged(true);
    expect(m.state).toBe('live');
    m.wsChanged(false);
    expect(m.state).toBe('polling');
    m.httpChanged(false);
    expect(m.state).toBe('offline');
    m.httpChanged(true);
    expect(m.state).toBe('polling');
    m.wsChanged(true);
    expect(m.state).toBe('live');
  });

  test('a websocket that never connects means polling', () => {
    const m = new ConnectionMonitor();
    m.wsChanged(false);
    expect(m.state).toBe('polling');
  });

  test('reconnect listeners run when the websocket comes back, not on the first connect', () => {
    const m = new ConnectionMonitor();
    const refetch = vi.fn();
    m.onReconnect(refetch);
    m.wsChanged(true);
    expect(refetch).not.toHaveBeenCalled();
    m.wsChanged(false);
    m.wsChanged(false);
    m.wsChanged(true);
    expect(refetch).toHaveBeenCalledTimes(1);
  });
});

function Probe() {
  return (
    <>
      <ConnectionIndicator state={useConnectionState()} />
      <span data-testid="poll">{usePollInterval()}</span>
    </>
  );
}

test('the indicator and the poll interval follow the monitor', () => {
  const m = new ConnectionMonitor();
  render(
    <ConnectionContext.Provider value={m}>
      <Probe />
    </ConnectionContext.Provider>,
  );
  const status = () => screen.getByRole('status');
  expect(status().textContent).toContain('Connecting');
  act(() => m.wsChanged(true));
  expect(status().dataset.state).toBe('live');
  expect(status().textContent).toContain('Live');
  expect(screen.getByTestId('poll').textContent).toBe('0');
  act(() => m.wsChanged(false));
  expect(status().textContent).toContain('Polling every 5 s');
  expect(screen.getByTestId('poll').textContent).toBe('5000');
  act(() => m.httpChanged(false));
  expect(status().textContent).toContain('Offline');
  expect(screen.getByTestId('poll').textContent).toBe('5000');
});
