import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { AddNoteMutation, insertNote } from './notes';

/** Adds an internal note to a conversation; rejects with a readable reason when it was not stored. */
export function useAddNote(contactId: string) {
  const [mutate] = useMutation(AddNoteMutation);
  return useCallback(
    async (text: string) => {
      try {
        await mutate({
          variables: { contactId, text },
          update: (cache, { data }) => {
            if (data?.addNote) insertNote(cache, data.addNote);
          },
        });
      } catch (err) {
        const message = CombinedGraphQLErrors.is(err) ? err.errors[0]?.message : (err as Error).message;
        throw new Error(`Note not added: ${message}`);
      }
    },
    [mutate, contactId],
  );
}
