import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const ADDED = `subscription($c: ID) { messageAdded(contactId: $c) { text contact { waId } } }`;
const settle = () => new Promise((r) => setTimeout(r, 500)); // subscriptions reach the server
const texts = (s: { events: any[] }) => s.events.map((e) => e.messageAdded.text);

describe('identical subscriptions share one execution', () => {
  it('each subscriber gets its own frames; one leaving or failing leaves the others running', async () => {
    await t.sim.injectInbound({ from: '15557000001', text: 'hello' });
    await drained(t.db);
    const { rows } = await t.db.query(`select id from contact where wa_id = '15557000001'`);
    const [one, two, three] = [t.ws(), t.ws(), t.ws()];
    const a = subscribe(one, ADDED);
    const b = subscribe(two, ADDED); // the same document and variables as `a`: shared
    const c = subscribe(three, ADDED, { c: rows[0].id }); // other variables: its own execution
    const bad = subscribe(three, ADDED, { c: {} }); // fails at once; later identical ones too
    await settle();
    await t.sim.injectInbound({ from: '15557000001', text: 'first' });
    await t.sim.injectInbound({ from: '15557000002', text: 'elsewhere' });
    await waitFor(() => a.events.length >= 2 && b.events.length >= 2 && c.events.length >= 1, 5000, 'frames');
    expect(texts(a)).toEqual(['first', 'elsewhere']);
    expect(texts(b)).toEqual(['first', 'elsewhere']);
    expect(texts(c)).toEqual(['first']);
    expect(bad.errors).toHaveLength(1);
    const badAgain = subscribe(two, ADDED, { c: {} });
    await waitFor(() => badAgain.errors.length === 1, 5000, 'the same error for the same failing subscription');

    a.dispose(); // the first subscriber (whose operation started the execution) leaves
    one.dispose();
    await settle();
    await t.sim.injectInbound({ from: '15557000001', text: 'second' });
    await waitFor(() => b.events.length >= 3 && c.events.length >= 2, 5000, 'frames after a subscriber left');
    expect(texts(b)).toEqual(['first', 'elsewhere', 'second']);
    expect(texts(c)).toEqual(['first', 'second']);
    expect(texts(a)).toEqual(['first', 'elsewhere']);

    const late = subscribe(t.ws(), ADDED); // joins the running execution
    await settle();
    await t.sim.injectInbound({ from: '15557000003', text: 'third' });
    await waitFor(() => late.events.length >= 1 && b.events.length >= 4, 5000, 'frames for a late subscriber');
    expect(texts(late)).toEqual(['third']);
    expect(texts(b)).toEqual(['first', 'elsewhere', 'second', 'third']);
    for (const s of [b, c, late]) s.dispose();
  });
});
