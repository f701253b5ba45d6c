import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openContacts, startTestEnv, waitFor, type TestEnv } from './harness.js';

/**
 * A send test file's setting: the app on its own database, one open conversation (a contact whose
 * number starts with `prefix`), the simulator emptied before each test, and `sendMessage` to that
 * contact selecting `selection`. Registers its own hooks; call it at the top of the file.
 */
export function sendFixture(prefix: string, selection: string) {
  let t: TestEnv | undefined;
  let contact = '';
  beforeAll(async () => {
    t = await startTestEnv();
    [contact] = await openContacts(t.db, 1, prefix);
  });
  afterAll(() => t?.close());
  beforeEach(() => t!.sim.reset());
  const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${selection} } }`;
  const fx = {
    SEND,
    get t(): TestEnv {
      return t!;
    },
    get contact(): string {
      return contact;
    },
    send: (input: Record<string, unknown>) => t!.gql(SEND, { input: { contactId: contact, ...input } }),
    /** The code of the first GraphQL error of an answer. */
    codeOf: (r: Awaited<ReturnType<TestEnv['gql']>>) => r.body.errors?.[0]?.extensions?.code as string | undefined,
    /** The body of the last request the simulator took as a send. */
    lastSent: () => waitFor(() => t!.sim.sent.at(-1), 5000, 'a send').then((s) => s.body as any),
  };
  return fx;
}
