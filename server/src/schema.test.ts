import fs from 'node:fs';
import { buildSchema, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema } from './schema.js';

describe('schema.graphql', () => {
  it('is exactly the schema printed from the resolvers (run `npm run codegen` after changing them)', async () => {
    const checkedIn = fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(checkedIn).toBe(await printedSchema());
  });
  it('has the operations of the public contract', async () => {
    const schema = buildSchema(await printedSchema());
    const signature = (f: GraphQLField<unknown, unknown>) =>
      `${f.name}${f.args.length ? `(${f.args.map((a) => `${a.name}: ${a.type}${a.defaultValue !== undefined ? ` = ${a.defaultValue}` : ''}`).join(', ')})` : ''}: ${f.type}`;
    const all = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) =>
      Object.values((t as GraphQLObjectType).getFields()).map(signature),
    );
    for (const op of [
      'messages(contactId: ID, search: String, first: Int = 50, after: String): MessageConnection!',
      'contacts(search: String, pinned: Boolean, blocked: Boolean, tag: String, assignee: String, first: Int = 50, after: String): ContactConnection!',
      'contact(id: ID, waId: String, userId: String): Contact',
      'stats: Stats!',
      'health: Health!',
      'sendMessage(input: SendMessageInput!): Message!',
      'updateContact(id: ID!, input: UpdateContactInput!): Contact!',
      'markContactRead(id: ID!): Contact!',
      'messageAdded(contactId: ID): Message!',
      'messageStatusChanged(contactId: ID): Message!',
      'contactUpdated: Contact!',
      'assignContact(id: ID!, agentId: ID): Contact!',
      'setAvailability(available: Boolean!): Agent!',
    ]) {
      expect(all).toContain(op);
    }
  });
});
