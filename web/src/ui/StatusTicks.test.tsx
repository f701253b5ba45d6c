// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { MessageStatus } from '../gql/graphql';
import { StatusTicks } from './StatusTicks';

afterEach(cleanup);

describe('StatusTicks', () => {
  test.each<[MessageStatus, string, number]>([
    ['PENDING', 'Sending', 0],
    ['SENT', 'Sent', 1],
    ['DELIVERED', 'Delivered', 2],
    ['READ', 'Read', 2],
    ['FAILED', 'Not delivered', 0],
  ])('%s is labelled "%s" and drawn with %i tick paths', (status, label, ticks) => {
    const { container } = render(<StatusTicks status={status} />);
    const img = screen.getByRole('img', { name: label });
    expect(img.dataset.status).toBe(status);
    expect(img.className).toContain(`iw-ticks--${status.toLowerCase()}`);
    const paths = container.querySelectorAll('path[d^="M1 "], path[d^="M3 "], path[d^="M6.5"]');
    expect(paths.length).toBe(ticks);
  });

  test('only READ gets the blue class', () => {
    const { container } = render(
      <>
        <StatusTicks status="DELIVERED" />
        <StatusTicks status="READ" />
      </>,
    );
    expect(container.querySelectorAll('.iw-ticks--read')).toHaveLength(1);
  });

  test('a cancelled send (bulk send stopped) is labelled, not ticked', () => {
    render(<StatusTicks status={'CANCELLED' as MessageStatus} />);
    expect(screen.getByRole('img', { name: 'Cancelled, not sent' })).toBeTruthy();
  });

  test('inbound messages (RECEIVED) show no ticks', () => {
    const { container } = render(<StatusTicks status="RECEIVED" />);
    expect(container.innerHTML).toBe('');
  });
});
