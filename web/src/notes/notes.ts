import type { ApolloCache } from '@apollo/client';
import { graphql } from '../gql';
import type { NoteCard_NoteFragment } from '../gql/graphql';

export const NoteCardFragment = graphql(`
  fragment NoteCard_note on Note {
    id
    contactId
    text
    authorName
    authorAgentId
    mentionedAgentIds
    createdAt
  }
`);

/** The newest notes of a conversation the timeline shows beside its messages. */
export const NOTES_PAGE = 100;

export const NotesQuery = graphql(`
  query Notes($contactId: ID!, $first: Int) {
    notes(contactId: $contactId, first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id ...NoteCard_note } }
    }
  }
`);

export const AddNoteMutation = graphql(`
  mutation AddNote($contactId: ID!, $text: String!) {
    addNote(contactId: $contactId, text: $text) { id ...NoteCard_note }
  }
`);

export const NoteAddedSubscription = graphql(`
  subscription NoteAdded {
    noteAdded { id ...NoteCard_note contact { id name } }
  }
`);

/** The signed-in caller's agent (which notes mention them, {{agent.name}}) and the team (whose names a note may mention). */
export const NoteSelfQuery = graphql(`
  query NoteSelf {
    me { name agent { id name } }
    agents { id name }
  }
`);

/** Puts a note at the newest end of its conversation's notes when they are cached. */
export function insertNote(cache: ApolloCache, note: NoteCard_NoteFragment): void {
  cache.updateQuery({ query: NotesQuery, variables: { contactId: note.contactId, first: NOTES_PAGE } }, (data) => {
    if (!data || data.notes.edges.some((e) => e.node.id === note.id)) return undefined;
    return {
      notes: {
        ...data.notes,
        totalCount: data.notes.totalCount + 1,
        edges: [{ __typename: 'NoteEdge' as const, cursor: '', node: note }, ...data.notes.edges],
      },
    };
  });
}
