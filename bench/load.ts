/**
 * Load generator, run as its own process so it does not share a CPU/event loop with the server
 * under test: `node --import tsx bench/load.ts '<LoadArgs as JSON>'`. Fires autocannon at the
 * webhook URL for a fixed duration, every request a distinct signed inbound text-message webhook
 * (pre-generated before the clock starts; more are made on the fly if they run out), and prints
 * one LoadResult as JSON on stdout: throughput, latency percentiles and failures.
 */
import autocannon from 'autocannon';
import { textWebhook, WEBHOOK_PATH, type SignedBody } from './payload.js';

export interface LoadArgs {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  connections: number;
  durationSeconds: number;
  /** Bodies signed before the run starts. */
  pregenerate: number;
  /** Makes wamids unique across runs. */
  tag: string;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  /** Bodies that had to be generated during the run because the pre-generated ones ran out. */
  generatedDuringRun: number;
}

async function run(args: LoadArgs): Promise<LoadResult> {
  const bodies: SignedBody[] = [];
  for (let i = 0; i < args.pregenerate; i++) bodies.push(textWebhook(args.tag, i));
  let next = 0;
  let extra = 0;
  const take = (): SignedBody => {
    const i = next++;
    if (i < bodies.length) return bodies[i]!;
    extra++;
    return textWebhook(args.tag, i);
  };
  const result = await autocannon({
    url: args.url,
    connections: args.connections,
    duration: args.durationSeconds,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: WEBHOOK_PATH,
      setupRequest: (req) => {
        const { body, signature } = take();
        return { ...req, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
      },
    }],
  });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    generatedDuringRun: extra,
  };
}

const arg = process.argv[2];
if (!arg) {
  console.error('usage: node --import tsx bench/load.ts \'{"url":...,"connections":20,"durationSeconds":10,"pregenerate":20000,"tag":"a"}\'');
  process.exit(2);
}
run(JSON.parse(arg) as LoadArgs).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
