import { useMutation } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { graphql } from '../gql';

export const ResendMutation = graphql(`
  mutation ResendMessage($id: ID!) {
    resendMessage(id: $id) {
      ...MessageBubble_message
    }
  }
`);

export const DismissMutation = graphql(`
  mutation DismissMessage($id: ID!) {
    dismissMessage(id: $id) {
      ...MessageBubble_message
    }
  }
`);

/** True from `at` on (re-rendering then); false while it is in the future or absent. */
function useReached(at: string | null | undefined): boolean {
  const due = at ? new Date(at).getTime() : null;
  const [, tick] = useState(0);
  useEffect(() => {
    if (due === null || due <= Date.now()) return;
    const timer = setTimeout(() => tick((n) => n + 1), due - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [due]);
  return due !== null && due <= Date.now();
}

/**
 * Under an outbound message whose outcome is unknown, once it waited for WhatsApp's status in vain
 * (`resendableAt`): says it may not have been delivered and lets the agent send it again or let it be.
 */
export function UnknownOutcome({ message }: { message: { id: string; resendableAt?: string | null } }) {
  const reached = useReached(message.resendableAt);
  const [resend, resending] = useMutation(ResendMutation, { variables: { id: message.id } });
  const [dismiss, dismissing] = useMutation(DismissMutation, { variables: { id: message.id } });
  if (!reached) return null;
  const busy = resending.loading || dismissing.loading;
  const error = resending.error ?? dismissing.error;
  return (
    <div className="iw-failure iw-unknown" role="note">
      <span>May not have been delivered{error ? ` — ${error.message}` : ''}</span>
      <button type="button" className="iw-link-btn" disabled={busy} onClick={() => void resend().catch(() => undefined)}>
        Resend
      </button>
      <button type="button" className="iw-link-btn" disabled={busy} onClick={() => void dismiss().catch(() => undefined)}>
        Dismiss
      </button>
    </div>
  );
}
