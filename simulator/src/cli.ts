/**
 * Injects one inbound WhatsApp message through a running simulator.
 *
 *   tsx simulator/src/cli.ts --from 15551234567 --text "hi"
 *   tsx simulator/src/cli.ts --from 15551234567 --type image --json '{"image":{"id":"123","mime_type":"image/jpeg"}}'
 *
 * The simulator URL comes from --url, else SIMULATOR_URL, else http://localhost:${PORT:-4000}/simulator.
 * The demo's built-in simulator takes a bearer token with the ADMIN scope (the one `npm start` prints):
 * --token, else INBOX_TOKEN. A standalone simulator needs none.
 */
import { parseArgs } from 'node:util';

const USAGE =
  'usage: cli.ts [--from PHONE] [--user-id BSUID] [--name NAME] [--text TEXT] [--type TYPE] ' +
  "[--json '<message fields>'] [--context WAMID] [--url SIMULATOR_URL] [--token TOKEN]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      'user-id': { type: 'string' },
      name: { type: 'string' },
      text: { type: 'string' },
      type: { type: 'string' },
      json: { type: 'string' },
      context: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let message: Record<string, unknown> | undefined;
  if (values.json !== undefined) {
    try {
      message = JSON.parse(values.json) as Record<string, unknown>;
    } catch {
      throw new Error('--json is not valid JSON');
    }
  }
  if (values.text === undefined && values.type === undefined && message === undefined) {
    throw new Error(`nothing to send: give --text, --type or --json\n${USAGE}`);
  }
  const base = (values.url ?? process.env.SIMULATOR_URL ?? `http://localhost:${process.env.PORT || 4000}/simulator`)
    .replace(/\/+$/, '');
  const input = {
    from: values.from,
    userId: values['user-id'],
    name: values.name,
    text: values.text,
    type: values.type,
    message,
    contextMessageId: values.context,
  };
  const token = values.token ?? process.env.INBOX_TOKEN;
  let res: Response;
  try {
    res = await fetch(`${base}/_simulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
    });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? String(e);
    throw new Error(`simulator unreachable at ${base} (${cause})`);
  }
  const text = await res.text();
  let answer: { waMessageId?: string; webhookStatus?: number; error?: string } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    // not JSON: reported below with the raw text
  }
  if (res.status === 401) {
    throw new Error(`${token ? 'the token was refused' : 'the simulator needs a token'}: pass --token <the bearer token npm start printed> or set INBOX_TOKEN`);
  }
  if (!res.ok) throw new Error(`simulator answered ${res.status}: ${answer.error ?? text.slice(0, 200)}`);
  const status = answer.webhookStatus ?? 0;
  console.log(`${answer.waMessageId} webhook answered ${status}`);
  if (status < 200 || status >= 300) throw new Error(`webhook rejected the message (HTTP ${status})`);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
