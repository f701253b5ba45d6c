// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Composer } from './Composer';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const type = (text: string) => fireEvent.change(box(), { target: { value: text } });

describe('Composer', () => {
  test('Enter sends the trimmed text and clears the box', async () => {
    const onSend = vi.fn(async () => undefined);
    render(<Composer contactId="1" disabledReason={null} onSend={onSend} />);
    type('  hello  ');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello');
    expect(box().value).toBe('');
  });

  test('Shift+Enter does not send (the textarea breaks the line)', () => {
    const onSend = vi.fn(async () => undefined);
    render(<Composer contactId="1" disabledReason={null} onSend={onSend} />);
    type('line one');
    fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    expect(box().value).toBe('line one');
  });

  test('empty text is not sent and the send button is disabled', () => {
    const onSend = vi.fn(async () => undefined);
    render(<Composer contactId="1" disabledReason={null} onSend={onSend} />);
    type('   ');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('the draft is kept per contact in localStorage', () => {
    const onSend = vi.fn(async () => undefined);
    const { rerender } = render(<Composer contactId="1" disabledReason={null} onSend={onSend} />);
    type('draft for one');
    expect(localStorage.getItem('inbox-widget:draft:1')).toBe('draft for one');
    rerender(<Composer contactId="2" disabledReason={null} onSend={onSend} />);
    expect(box().value).toBe('');
    type('draft for two');
    rerender(<Composer contactId="1" disabledReason={null} onSend={onSend} />);
    expect(box().value).toBe('draft for one');
    cleanup();
    render(<Composer contactId="2" disabledReason={null} onSend={onSend} />);
    expect(box().value).toBe('draft for two');
  });

  test('sending clears the stored draft; a refusal puts it back with the reason', async () => {
    const onSend = vi.fn(async () => {
      throw new Error('This contact is blocked; the message was not sent.');
    });
    render(<Composer contactId="7" disabledReason={null} onSend={onSend} />);
    type('hi');
    await act(async () => {
      fireEvent.keyDown(box(), { key: 'Enter' });
    });
    expect(screen.getByRole('alert').textContent).toContain('blocked');
    expect(box().value).toBe('hi');
    expect(localStorage.getItem('inbox-widget:draft:7')).toBe('hi');
  });

  test('a reply shows what it quotes; Escape or × cancels it without closing anything else', () => {
    const onCancel = vi.fn();
    const outer = vi.fn();
    render(
      <div onKeyDown={outer}>
        <Composer contactId="1" disabledReason={null} onSend={async () => undefined} replyTo={{ author: 'Ada', text: 'Where is it?' }} onCancelReply={onCancel} />
      </div>,
    );
    expect(screen.getByText('Replying to Ada')).toBeTruthy();
    expect(screen.getByText('Where is it?')).toBeTruthy();
    expect(document.activeElement).toBe(box());
    fireEvent.keyDown(box(), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(outer).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel reply' }));
    expect(onCancel).toHaveBeenCalledTimes(2);
  });

  test('a closed window disables free text and says why', () => {
    const onSend = vi.fn(async () => undefined);
    render(<Composer contactId="1" disabledReason="The 24-hour customer service window is closed" onSend={onSend} />);
    expect(box().disabled).toBe(true);
    expect(box().getAttribute('aria-describedby')).toBe('iw-note-1');
    expect(document.getElementById('iw-note-1')!.textContent).toContain('window is closed');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });
});
