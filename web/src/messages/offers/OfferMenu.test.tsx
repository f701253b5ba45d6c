// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Composer } from '../Composer';
import type { Offer } from './offer';
import { OfferMenu } from './OfferMenu';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const plus = () => screen.getByRole('button', { name: 'More kinds of message' });
const items = () => screen.getAllByRole('menuitem');

describe('the composer menu of other kinds of message', () => {
  test('opens on the first item; arrows move round it; Escape closes it, gives focus back and keeps the widget open', () => {
    const outer = vi.fn();
    render(
      <div onKeyDown={outer}>
        <OfferMenu blocked={null} onSend={async () => undefined} />
      </div>,
    );
    expect(plus().getAttribute('aria-haspopup')).toBe('menu');
    fireEvent.click(plus());
    expect(plus().getAttribute('aria-expanded')).toBe('true');
    expect(items().map((i) => i.textContent)).toEqual(['Contact card', 'Ask for location', 'Product', 'Link button']);
    expect(document.activeElement).toBe(items()[0]);
    fireEvent.keyDown(items()[0]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items()[3]);
    fireEvent.keyDown(items()[3]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items()[0]);
    fireEvent.keyDown(items()[0]!, { key: 'End' });
    expect(document.activeElement).toBe(items()[3]);
    fireEvent.keyDown(items()[3]!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(plus());
    expect(outer).not.toHaveBeenCalledWith(expect.objectContaining({ key: 'Escape' }));
  });

  test('an item opens its form; once sent the form closes and focus is back on the "+"', async () => {
    const onSend = vi.fn(async (_o: Offer) => undefined);
    render(<OfferMenu blocked={null} onSend={onSend} />);
    fireEvent.click(plus());
    fireEvent.click(screen.getByRole('menuitem', { name: 'Ask for location' }));
    expect(screen.queryByRole('menu')).toBeNull();
    const form = await screen.findByRole('form', { name: 'Ask for location' });
    expect(document.activeElement).toBe(screen.getByLabelText('Text'));
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Send location request' })));
    expect(onSend).toHaveBeenCalledWith(expect.objectContaining({ input: { locationRequest: { body: 'Please share your location.' } } }));
    expect(form.isConnected).toBe(false);
    expect(document.activeElement).toBe(plus());
  });

  test('when nothing but a template may go out, the menu says so and its items do nothing', () => {
    render(<OfferMenu blocked="Outside the 24-hour window only an approved template can be sent." onSend={async () => undefined} />);
    fireEvent.click(plus());
    const menu = screen.getByRole('menu');
    expect(document.getElementById(menu.getAttribute('aria-describedby')!)!.textContent).toContain('only an approved template');
    expect(items().every((i) => i.getAttribute('aria-disabled') === 'true')).toBe(true);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Link button' }));
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.getByRole('menu')).toBeTruthy();
  });

  test('the composer shows the "+" when replying, not when writing a note', () => {
    render(<Composer contactId="1" disabledReason={null} onSend={async () => undefined} onNote={async () => undefined} attach={<OfferMenu blocked={null} onSend={async () => undefined} />} />);
    expect(plus()).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Note' }));
    expect(screen.queryByRole('button', { name: 'More kinds of message' })).toBeNull();
  });
});
