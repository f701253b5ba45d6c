/**
 * How much of the even spacing a late timer may catch up at once: the pacing is a token bucket of this
 * many milliseconds' sends, so a busy event loop costs no rate unless it stalls longer.
 */
const CATCH_UP_MS = 50;
/** A second, and a few milliseconds for timers rounding to the millisecond and Meta's clock running apart from ours. */
const HOLD_MS = 1005;

/**
 * The number's throughput as Meta counts it: sends arriving in any sliding second. Each send holds one
 * of `rate` slots from just before its request leaves until HOLD_MS after the call settled (an answer
 * means the request had arrived): however a busy event loop or the network delay and bunch requests on
 * the way, no second at Meta holds more than `rate` of them. Slots are handed out evenly too, one per
 * 1/rate s, as a second's worth at once would open as many connections and bunch every second after it
 * alike; a timer that fires late lets the slots then due through together, at most CATCH_UP_MS of them.
 */
export class Throughput {
  private readonly waiting: Array<(free: () => void) => void> = [];
  private slots: number;
  private next = -Infinity;
  private timer?: NodeJS.Timeout;

  constructor(private readonly rate: number) {
    this.slots = rate;
  }

  /** Waits for a slot; the function it resolves with gives the slot back HOLD_MS after it is called. */
  take(): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.timer) this.release();
    });
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    this.next = Math.max(this.next, now - CATCH_UP_MS);
    while (this.waiting.length && this.slots > 0 && this.next <= now) {
      this.slots--;
      this.next += 1000 / this.rate;
      this.waiting.shift()!(() => {
        setTimeout(() => {
          this.slots++;
          if (!this.timer) this.release();
        }, HOLD_MS).unref();
      });
    }
    if (this.waiting.length && this.slots > 0) this.timer = setTimeout(() => this.release(), this.next - now);
  }
}

/**
 * At most `size` holders at a time, in arrival order: bounds how many messages are claimed (SENDING)
 * ahead of their throughput slot, so a crash leaves few that never left with an unknown outcome.
 */
export class Gate {
  private readonly waiting: Array<() => void> = [];
  private held = 0;

  constructor(private readonly size: number) {}

  /** Waits for room; the function it resolves with gives the room back (once). */
  async enter(): Promise<() => void> {
    if (this.held >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.held++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next(); // the room passes straight on
      else this.held--;
    };
  }
}

