import { describe, expect, it } from 'vitest';
import { Gate } from './outbound.throughput.js';

describe('the gate before the throughput slot', () => {
  it('lets at most its size through, the next in arrival order as one leaves, and counts a double leave once', async () => {
    const gate = new Gate(2);
    const a = await gate.enter();
    const b = await gate.enter();
    const order: string[] = [];
    const c = gate.enter().then((leave) => (order.push('c'), leave));
    const d = gate.enter().then((leave) => (order.push('d'), leave));
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // a second call must not let d in too
    const leaveC = await c;
    await Promise.resolve();
    expect(order).toEqual(['c']);
    b();
    const leaveD = await d;
    expect(order).toEqual(['c', 'd']);
    leaveC();
    leaveD();
    // Both rooms are free again: two enter at once, a third would wait.
    await gate.enter();
    await gate.enter();
    let third = false;
    void gate.enter().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
  });
});
