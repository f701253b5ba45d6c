import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { graphql } from '../gql';
import type { MessageBubble_MessageFragment } from '../gql/graphql';
import { insertMessage } from './insertMessage';
import { MESSAGES_PAGE, MessagesQuery } from './insertMessage';
import type { Offer } from './offers/offer';

export const SendMessageMutation = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id
      ...MessageBubble_message
      contact { id }
    }
  }
`);

// randomUUID exists only in secure contexts (https, localhost).
const newId = () => ((globalThis.crypto as Partial<Crypto> | undefined)?.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

const REASONS: Record<string, string> = {
  OUTSIDE_SERVICE_WINDOW: 'The 24-hour customer service window is closed; the message was not sent.',
  CONTACT_BLOCKED: 'This contact is blocked; the message was not sent.',
};

/**
 * Sends a text, or an offer of the composer's menu, optimistically: a pending bubble appears at once
 * and becomes the stored message. Resolves when the server stored it (a refusal by WhatsApp shows as
 * a failed bubble); rejects with a readable reason when nothing was stored.
 */
export function useSend(contactId: string) {
  const client = useApolloClient();
  const [mutate] = useMutation(SendMessageMutation);
  return useCallback(
    async (what: string | Offer, replyTo?: MessageBubble_MessageFragment | null) => {
      const clientMessageId = newId();
      const o = typeof what === 'string' ? { input: { text: what }, type: 'TEXT' as const, waType: 'text', text: what, payload: null } : what;
      try {
        await mutate({
          variables: { input: { ...o.input, contactId, clientMessageId, ...(replyTo ? { replyToMessageId: replyTo.id } : {}) } },
          optimisticResponse: {
            sendMessage: {
              __typename: 'Message',
              id: `tmp-${clientMessageId}`,
              waMessageId: null,
              clientMessageId,
              direction: 'OUTBOUND',
              type: o.type,
              waType: o.waType,
              text: o.text,
              status: 'PENDING',
              resendableAt: null,
              revision: 0,
              timestamp: new Date().toISOString(),
              payload: o.payload,
              editedAt: null,
              isDeleted: false,
              forwarded: false,
              contextWaMessageId: replyTo?.waMessageId ?? null,
              error: null,
              media: null,
              location: null,
              reaction: null,
              replyTo: replyTo
                ? {
                    __typename: 'Message',
                    id: replyTo.id,
                    direction: replyTo.direction,
                    type: replyTo.type,
                    text: replyTo.text,
                    isDeleted: replyTo.isDeleted,
                    media: replyTo.media ? { __typename: 'MessageMedia', filename: replyTo.media.filename } : null,
                  }
                : null,
              sentBy: null, // the server's answer names the sender
              contact: { __typename: 'Contact', id: contactId },
            },
          },
          update: (cache, { data }) => {
            if (data?.sendMessage) insertMessage(cache, data.sendMessage, contactId);
          },
        });
      } catch (err) {
        const code = CombinedGraphQLErrors.is(err) ? String(err.errors[0]?.extensions?.code ?? '') : '';
        if (code === 'WHATSAPP_ERROR') {
          // Stored and marked FAILED: show it with Meta's reason even without live updates.
          await client.query({ query: MessagesQuery, variables: { contactId, first: MESSAGES_PAGE }, fetchPolicy: 'network-only' }).catch(() => undefined);
          return;
        }
        throw new Error(REASONS[code] ?? `Not sent: ${(err as Error).message}`);
      }
    },
    [client, mutate, contactId],
  );
}
