/**
 * sendMessage's WhatsApp Flow kind, through GraphQL to the simulator: the body the simulator records
 * is what Meta would get, and nothing is posted when a limit is broken.
 */
import { describe, expect, it } from 'vitest';
import { sendFixture } from '../../test/send.fixture.js';

const fx = sendFixture('1781', 'id type waType text status waMessageId payload');
const { send, codeOf, lastSent } = fx;

const booking = { flowId: '1234567890', cta: 'Book!', body: 'Book a table' };

describe('a Flow message reaches Meta in its shape', () => {
  it('by id, navigating to a screen with data, with header, footer, mode and token', async () => {
    const r = await send({ flow: { ...booking, header: 'Dinner', footer: 'See you soon', mode: 'DRAFT', screen: 'BOOKING', data: { guests: 2, date: '2026-12-24' }, token: 'booking-42' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', waType: 'interactive', text: 'Book a table', waMessageId: expect.any(String) });
    const interactive = {
      type: 'flow',
      header: { type: 'text', text: 'Dinner' },
      body: { text: 'Book a table' },
      footer: { text: 'See you soon' },
      action: {
        name: 'flow',
        parameters: {
          flow_message_version: '3', flow_id: '1234567890', flow_cta: 'Book!', mode: 'draft', flow_token: 'booking-42',
          flow_action: 'navigate', flow_action_payload: { screen: 'BOOKING', data: { guests: 2, date: '2026-12-24' } },
        },
      },
    };
    expect(await lastSent()).toMatchObject({ type: 'interactive', interactive });
    expect((await lastSent()).interactive).toEqual(interactive);
    // Stored as other interactive messages are: Meta's object under `interactive`.
    expect(r.body.data.sendMessage.payload).toEqual({ interactive });
  });

  it("by name, with Meta's defaults: no mode, token or payload are sent", async () => {
    await send({ flow: { flowName: 'Book a table', cta: 'Reserve', body: 'Dinner tonight?' } });
    expect((await lastSent()).interactive).toEqual({
      type: 'flow', body: { text: 'Dinner tonight?' },
      action: { name: 'flow', parameters: { flow_message_version: '3', flow_name: 'Book a table', flow_cta: 'Reserve', flow_action: 'navigate' } },
    });
  });

  it('a named first screen without data, and a data_exchange Flow without payload', async () => {
    await send({ flow: { ...booking, screen: 'WELCOME', mode: 'PUBLISHED' } });
    expect((await lastSent()).interactive.action.parameters).toEqual({ flow_message_version: '3', flow_id: '1234567890', flow_cta: 'Book!', mode: 'published', flow_action: 'navigate', flow_action_payload: { screen: 'WELCOME' } });
    fx.t.sim.reset();
    await send({ flow: { ...booking, action: 'DATA_EXCHANGE' } });
    expect((await lastSent()).interactive.action.parameters).toEqual({ flow_message_version: '3', flow_id: '1234567890', flow_cta: 'Book!', flow_action: 'data_exchange' });
  });
});

describe("Meta's Flow limits are checked before Meta sees anything", () => {
  it.each([
    ['both flowId and flowName', { ...booking, flowName: 'Book a table' }, 'flow'],
    ['neither flowId nor flowName', { cta: 'Go', body: 'b' }, 'flow'],
    ['a flowId that is no id', { ...booking, flowId: 'book-a-table' }, 'flow.flowId'],
    ['an empty flowName', { flowName: ' ', cta: 'Go', body: 'b' }, 'flow.flowName'],
    ['a button label over 30 characters', { ...booking, cta: 'x'.repeat(31) }, 'flow.cta'],
    ['an empty button label', { ...booking, cta: '' }, 'flow.cta'],
    ['an emoji in the button label', { ...booking, cta: 'Book 🍽' }, 'flow.cta'],
    ['a body over 1,024 characters', { ...booking, body: 'x'.repeat(1025) }, 'flow.body'],
    ['an empty body', { ...booking, body: ' ' }, 'flow.body'],
    ['a header over 60 characters', { ...booking, header: 'x'.repeat(61) }, 'flow.header'],
    ['a footer over 60 characters', { ...booking, footer: 'x'.repeat(61) }, 'flow.footer'],
    ['data without a screen', { ...booking, data: { guests: 2 } }, 'flow.screen'],
    ['empty data', { ...booking, screen: 'BOOKING', data: {} }, 'flow.data'],
    ['an empty screen', { ...booking, screen: '' }, 'flow.screen'],
    ['a screen with data_exchange', { ...booking, action: 'DATA_EXCHANGE', screen: 'BOOKING' }, 'flow.screen'],
    ['data with data_exchange', { ...booking, action: 'DATA_EXCHANGE', data: { a: 1 } }, 'flow.data'],
    ['an empty token', { ...booking, token: '' }, 'flow.token'],
  ])('refuses %s with BAD_USER_INPUT', async (_what, flow, field) => {
    const r = await send({ flow });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('refuses text or another kind beside a Flow', async () => {
    expect((await send({ flow: booking, text: 'hi' })).body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    expect(codeOf(await send({ flow: booking, locationRequest: { body: 'where?' } }))).toBe('BAD_USER_INPUT');
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('refuses data that is not an object before compose runs', async () => {
    const r = await send({ flow: { ...booking, screen: 'BOOKING', data: [1, 2] } });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
});
