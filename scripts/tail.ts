// Prints every message and status change as it happens, over the graphql-ws subscription.
// Usage: npm run tail -- --token <bearer token> [--url http://localhost:4000]
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: { token: { type: 'string' }, url: { type: 'string', default: process.env.INBOX_URL ?? `http://localhost:${process.env.PORT ?? 4000}` } },
});
const token = values.token ?? process.env.INBOX_TOKEN ?? process.env.AUTH_TOKEN; // AUTH_TOKEN: the name it read before
if (!token) {
  console.error('give the bearer token: npm run tail -- --token <token>, or INBOX_TOKEN (npm start prints one in demo mode)');
  process.exit(1);
}
const client = createClient({
  url: `${values.url!.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: Infinity,
  on: { connected: () => console.log(`listening on ${values.url}/graphql (Ctrl+C to stop)`) },
});
const show = (label: string, m: any) =>
  console.log(`${new Date().toISOString().slice(11, 19)} ${label.padEnd(7)} ${m.direction === 'INBOUND' ? '←' : '→'} ${m.contact.name} [${m.type} ${m.status}] ${m.text ?? ''}`);
const fields = `id direction type status text contact { name }`;
for (const [label, query] of [
  ['new', `subscription { messageAdded { ${fields} } }`],
  ['status', `subscription { messageStatusChanged { ${fields} } }`],
] as const) {
  client.subscribe<any>({ query }, {
    next: ({ data, errors }) => (errors ? console.error(errors[0]?.message) : show(label, Object.values(data!)[0])),
    error: (err) => {
      console.error(`subscription failed: ${(err as Error)?.message ?? JSON.stringify(err)}`);
      process.exit(1);
    },
    complete: () => undefined,
  });
}
