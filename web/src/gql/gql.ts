/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me { kind name role scopes agent { id } }\n  }\n": typeof types.MeDocument,
    "\n  subscription MessageAdded {\n    messageAdded {\n      id\n      ...MessageBubble_message\n      contact { id name }\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  subscription MessageStatusChanged {\n    messageStatusChanged {\n      id\n      ...MessageBubble_message\n    }\n  }\n": typeof types.MessageStatusChangedDocument,
    "\n  subscription ContactUpdated {\n    contactUpdated {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n": typeof types.ContactUpdatedDocument,
    "\n  query UnreadTotal {\n    stats { unreadTotal }\n  }\n": typeof types.UnreadTotalDocument,
    "\n  query AuditLog($first: Int, $after: String, $principalId: ID, $action: String, $outcome: AuditOutcome) {\n    auditLog(first: $first, after: $after, principalId: $principalId, action: $action, outcome: $outcome) {\n      edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  mutation CreateCannedReply($input: CreateCannedReplyInput!) {\n    createCannedReply(input: $input) { id shortcut text }\n  }\n": typeof types.CreateCannedReplyDocument,
    "\n  mutation UpdateCannedReply($id: ID!, $input: UpdateCannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) { id shortcut text }\n  }\n": typeof types.UpdateCannedReplyDocument,
    "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id) { id }\n  }\n": typeof types.DeleteCannedReplyDocument,
    "\n  query CannedReplies {\n    cannedReplies { id shortcut text }\n  }\n": typeof types.CannedRepliesDocument,
    "\n  mutation AssignContact($id: ID!, $agentId: ID) {\n    assignContact(id: $id, agentId: $agentId) {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n": typeof types.AssignContactDocument,
    "\n  query Team {\n    agents { id name role active available }\n  }\n": typeof types.TeamDocument,
    "\n  fragment ContactHeader_contact on Contact {\n    id\n    name\n    displayName\n    profileName\n    waId\n    username\n    isPinned\n    isBlocked\n    tags\n    conversationClosed\n    windowExpiresAt\n    unreadCount\n    assignee { id name }\n  }\n": typeof types.ContactHeader_ContactFragmentDoc,
    "\n  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactHeader_contact\n      ...ContactRow_contact\n    }\n  }\n": typeof types.UpdateContactDocument,
    "\n  query Contacts($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $assignee: String, $first: Int, $after: String) {\n    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, assignee: $assignee, first: $first, after: $after) {\n      totalCount\n      totalCountIsExact\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n    }\n  }\n": typeof types.ContactsDocument,
    "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    waId\n    isPinned\n    isBlocked\n    tags\n    unreadCount\n    lastMessageAt\n    createdAt\n    conversationClosed\n    assignee { id name }\n    lastMessage { id text type direction status revision isDeleted }\n  }\n": typeof types.ContactRow_ContactFragmentDoc,
    "\n  query ContactCounts {\n    contactCounts { mine unassigned all }\n  }\n": typeof types.ContactCountsDocument,
    "\n  query Conversation($contactId: ID!) {\n    contact(id: $contactId) {\n      id\n      ...ContactHeader_contact\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  mutation MarkContactRead($id: ID!) {\n    markContactRead(id: $id) { id unreadCount }\n  }\n": typeof types.MarkContactReadDocument,
    "\n  fragment MessageBubble_message on Message {\n    id\n    waMessageId\n    clientMessageId\n    direction\n    type\n    waType\n    text\n    status\n    resendableAt\n    revision\n    timestamp\n    payload\n    editedAt\n    isDeleted\n    forwarded\n    contextWaMessageId\n    error { code title message details }\n    media { mimeType filename voice animated url downloadStatus fileSize }\n    location { latitude longitude name address url }\n    reaction { messageId emoji }\n    replyTo { id direction type text isDeleted media { filename } }\n    sentBy { kind name }\n  }\n": typeof types.MessageBubble_MessageFragmentDoc,
    "\n  query ApprovedTemplates {\n    templates(status: \"APPROVED\") {\n      id\n      name\n      language\n      category\n      components\n    }\n  }\n": typeof types.ApprovedTemplatesDocument,
    "\n  mutation ResendMessage($id: ID!) {\n    resendMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n": typeof types.ResendMessageDocument,
    "\n  mutation DismissMessage($id: ID!) {\n    dismissMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n": typeof types.DismissMessageDocument,
    "\n  query Messages($contactId: ID!, $first: Int, $after: String) {\n    messages(contactId: $contactId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...MessageBubble_message\n        }\n      }\n    }\n  }\n": typeof types.MessagesDocument,
    "\n  query MediaUrl($messageId: ID!) {\n    mediaUrl(messageId: $messageId)\n  }\n": typeof types.MediaUrlDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      id\n      ...MessageBubble_message\n      contact { id }\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  fragment NoteCard_note on Note {\n    id\n    contactId\n    text\n    authorName\n    authorAgentId\n    mentionedAgentIds\n    createdAt\n  }\n": typeof types.NoteCard_NoteFragmentDoc,
    "\n  query Notes($contactId: ID!, $first: Int) {\n    notes(contactId: $contactId, first: $first) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id ...NoteCard_note } }\n    }\n  }\n": typeof types.NotesDocument,
    "\n  mutation AddNote($contactId: ID!, $text: String!) {\n    addNote(contactId: $contactId, text: $text) { id ...NoteCard_note }\n  }\n": typeof types.AddNoteDocument,
    "\n  subscription NoteAdded {\n    noteAdded { id ...NoteCard_note contact { id name } }\n  }\n": typeof types.NoteAddedDocument,
    "\n  query NoteSelf {\n    me { name agent { id name } }\n    agents { id name }\n  }\n": typeof types.NoteSelfDocument,
    "\n  subscription PresenceChanged($contactId: ID!) {\n    presenceChanged(contactId: $contactId) {\n      contactId\n      agents { agent { id name } typing }\n    }\n  }\n": typeof types.PresenceChangedDocument,
    "\n  mutation SetTyping($contactId: ID!, $typing: Boolean!) {\n    setTyping(contactId: $contactId, typing: $typing)\n  }\n": typeof types.SetTypingDocument,
    "\n  fragment MessageRevision on Message {\n    revision\n  }\n": typeof types.MessageRevisionFragmentDoc,
    "\n  query TeamStats {\n    stats {\n      team {\n        from\n        to\n        agents {\n          agent { id name }\n          conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds\n        }\n        overall { conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds }\n        waitingLongest(first: 5) { id name lastInboundAt }\n      }\n    }\n  }\n": typeof types.TeamStatsDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { kind name role scopes agent { id } }\n  }\n": types.MeDocument,
    "\n  subscription MessageAdded {\n    messageAdded {\n      id\n      ...MessageBubble_message\n      contact { id name }\n    }\n  }\n": types.MessageAddedDocument,
    "\n  subscription MessageStatusChanged {\n    messageStatusChanged {\n      id\n      ...MessageBubble_message\n    }\n  }\n": types.MessageStatusChangedDocument,
    "\n  subscription ContactUpdated {\n    contactUpdated {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n": types.ContactUpdatedDocument,
    "\n  query UnreadTotal {\n    stats { unreadTotal }\n  }\n": types.UnreadTotalDocument,
    "\n  query AuditLog($first: Int, $after: String, $principalId: ID, $action: String, $outcome: AuditOutcome) {\n    auditLog(first: $first, after: $after, principalId: $principalId, action: $action, outcome: $outcome) {\n      edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AuditLogDocument,
    "\n  mutation CreateCannedReply($input: CreateCannedReplyInput!) {\n    createCannedReply(input: $input) { id shortcut text }\n  }\n": types.CreateCannedReplyDocument,
    "\n  mutation UpdateCannedReply($id: ID!, $input: UpdateCannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) { id shortcut text }\n  }\n": types.UpdateCannedReplyDocument,
    "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id) { id }\n  }\n": types.DeleteCannedReplyDocument,
    "\n  query CannedReplies {\n    cannedReplies { id shortcut text }\n  }\n": types.CannedRepliesDocument,
    "\n  mutation AssignContact($id: ID!, $agentId: ID) {\n    assignContact(id: $id, agentId: $agentId) {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n": types.AssignContactDocument,
    "\n  query Team {\n    agents { id name role active available }\n  }\n": types.TeamDocument,
    "\n  fragment ContactHeader_contact on Contact {\n    id\n    name\n    displayName\n    profileName\n    waId\n    username\n    isPinned\n    isBlocked\n    tags\n    conversationClosed\n    windowExpiresAt\n    unreadCount\n    assignee { id name }\n  }\n": types.ContactHeader_ContactFragmentDoc,
    "\n  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactHeader_contact\n      ...ContactRow_contact\n    }\n  }\n": types.UpdateContactDocument,
    "\n  query Contacts($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $assignee: String, $first: Int, $after: String) {\n    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, assignee: $assignee, first: $first, after: $after) {\n      totalCount\n      totalCountIsExact\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n    }\n  }\n": types.ContactsDocument,
    "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    waId\n    isPinned\n    isBlocked\n    tags\n    unreadCount\n    lastMessageAt\n    createdAt\n    conversationClosed\n    assignee { id name }\n    lastMessage { id text type direction status revision isDeleted }\n  }\n": types.ContactRow_ContactFragmentDoc,
    "\n  query ContactCounts {\n    contactCounts { mine unassigned all }\n  }\n": types.ContactCountsDocument,
    "\n  query Conversation($contactId: ID!) {\n    contact(id: $contactId) {\n      id\n      ...ContactHeader_contact\n    }\n  }\n": types.ConversationDocument,
    "\n  mutation MarkContactRead($id: ID!) {\n    markContactRead(id: $id) { id unreadCount }\n  }\n": types.MarkContactReadDocument,
    "\n  fragment MessageBubble_message on Message {\n    id\n    waMessageId\n    clientMessageId\n    direction\n    type\n    waType\n    text\n    status\n    resendableAt\n    revision\n    timestamp\n    payload\n    editedAt\n    isDeleted\n    forwarded\n    contextWaMessageId\n    error { code title message details }\n    media { mimeType filename voice animated url downloadStatus fileSize }\n    location { latitude longitude name address url }\n    reaction { messageId emoji }\n    replyTo { id direction type text isDeleted media { filename } }\n    sentBy { kind name }\n  }\n": types.MessageBubble_MessageFragmentDoc,
    "\n  query ApprovedTemplates {\n    templates(status: \"APPROVED\") {\n      id\n      name\n      language\n      category\n      components\n    }\n  }\n": types.ApprovedTemplatesDocument,
    "\n  mutation ResendMessage($id: ID!) {\n    resendMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n": types.ResendMessageDocument,
    "\n  mutation DismissMessage($id: ID!) {\n    dismissMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n": types.DismissMessageDocument,
    "\n  query Messages($contactId: ID!, $first: Int, $after: String) {\n    messages(contactId: $contactId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...MessageBubble_message\n        }\n      }\n    }\n  }\n": types.MessagesDocument,
    "\n  query MediaUrl($messageId: ID!) {\n    mediaUrl(messageId: $messageId)\n  }\n": types.MediaUrlDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      id\n      ...MessageBubble_message\n      contact { id }\n    }\n  }\n": types.SendMessageDocument,
    "\n  fragment NoteCard_note on Note {\n    id\n    contactId\n    text\n    authorName\n    authorAgentId\n    mentionedAgentIds\n    createdAt\n  }\n": types.NoteCard_NoteFragmentDoc,
    "\n  query Notes($contactId: ID!, $first: Int) {\n    notes(contactId: $contactId, first: $first) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id ...NoteCard_note } }\n    }\n  }\n": types.NotesDocument,
    "\n  mutation AddNote($contactId: ID!, $text: String!) {\n    addNote(contactId: $contactId, text: $text) { id ...NoteCard_note }\n  }\n": types.AddNoteDocument,
    "\n  subscription NoteAdded {\n    noteAdded { id ...NoteCard_note contact { id name } }\n  }\n": types.NoteAddedDocument,
    "\n  query NoteSelf {\n    me { name agent { id name } }\n    agents { id name }\n  }\n": types.NoteSelfDocument,
    "\n  subscription PresenceChanged($contactId: ID!) {\n    presenceChanged(contactId: $contactId) {\n      contactId\n      agents { agent { id name } typing }\n    }\n  }\n": types.PresenceChangedDocument,
    "\n  mutation SetTyping($contactId: ID!, $typing: Boolean!) {\n    setTyping(contactId: $contactId, typing: $typing)\n  }\n": types.SetTypingDocument,
    "\n  fragment MessageRevision on Message {\n    revision\n  }\n": types.MessageRevisionFragmentDoc,
    "\n  query TeamStats {\n    stats {\n      team {\n        from\n        to\n        agents {\n          agent { id name }\n          conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds\n        }\n        overall { conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds }\n        waitingLongest(first: 5) { id name lastInboundAt }\n      }\n    }\n  }\n": types.TeamStatsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { kind name role scopes agent { id } }\n  }\n"): (typeof documents)["\n  query Me {\n    me { kind name role scopes agent { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded {\n    messageAdded {\n      id\n      ...MessageBubble_message\n      contact { id name }\n    }\n  }\n"): (typeof documents)["\n  subscription MessageAdded {\n    messageAdded {\n      id\n      ...MessageBubble_message\n      contact { id name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageStatusChanged {\n    messageStatusChanged {\n      id\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  subscription MessageStatusChanged {\n    messageStatusChanged {\n      id\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ContactUpdated {\n    contactUpdated {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n"): (typeof documents)["\n  subscription ContactUpdated {\n    contactUpdated {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadTotal {\n    stats { unreadTotal }\n  }\n"): (typeof documents)["\n  query UnreadTotal {\n    stats { unreadTotal }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($first: Int, $after: String, $principalId: ID, $action: String, $outcome: AuditOutcome) {\n    auditLog(first: $first, after: $after, principalId: $principalId, action: $action, outcome: $outcome) {\n      edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($first: Int, $after: String, $principalId: ID, $action: String, $outcome: AuditOutcome) {\n    auditLog(first: $first, after: $after, principalId: $principalId, action: $action, outcome: $outcome) {\n      edges { cursor node { id at principalKind principalId principalName action targetIds outcome errorCode } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCannedReply($input: CreateCannedReplyInput!) {\n    createCannedReply(input: $input) { id shortcut text }\n  }\n"): (typeof documents)["\n  mutation CreateCannedReply($input: CreateCannedReplyInput!) {\n    createCannedReply(input: $input) { id shortcut text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCannedReply($id: ID!, $input: UpdateCannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) { id shortcut text }\n  }\n"): (typeof documents)["\n  mutation UpdateCannedReply($id: ID!, $input: UpdateCannedReplyInput!) {\n    updateCannedReply(id: $id, input: $input) { id shortcut text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id) { id }\n  }\n"): (typeof documents)["\n  mutation DeleteCannedReply($id: ID!) {\n    deleteCannedReply(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CannedReplies {\n    cannedReplies { id shortcut text }\n  }\n"): (typeof documents)["\n  query CannedReplies {\n    cannedReplies { id shortcut text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignContact($id: ID!, $agentId: ID) {\n    assignContact(id: $id, agentId: $agentId) {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n"): (typeof documents)["\n  mutation AssignContact($id: ID!, $agentId: ID) {\n    assignContact(id: $id, agentId: $agentId) {\n      id\n      ...ContactRow_contact\n      ...ContactHeader_contact\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Team {\n    agents { id name role active available }\n  }\n"): (typeof documents)["\n  query Team {\n    agents { id name role active available }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactHeader_contact on Contact {\n    id\n    name\n    displayName\n    profileName\n    waId\n    username\n    isPinned\n    isBlocked\n    tags\n    conversationClosed\n    windowExpiresAt\n    unreadCount\n    assignee { id name }\n  }\n"): (typeof documents)["\n  fragment ContactHeader_contact on Contact {\n    id\n    name\n    displayName\n    profileName\n    waId\n    username\n    isPinned\n    isBlocked\n    tags\n    conversationClosed\n    windowExpiresAt\n    unreadCount\n    assignee { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactHeader_contact\n      ...ContactRow_contact\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateContact($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactHeader_contact\n      ...ContactRow_contact\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contacts($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $assignee: String, $first: Int, $after: String) {\n    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, assignee: $assignee, first: $first, after: $after) {\n      totalCount\n      totalCountIsExact\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Contacts($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $assignee: String, $first: Int, $after: String) {\n    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, assignee: $assignee, first: $first, after: $after) {\n      totalCount\n      totalCountIsExact\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    waId\n    isPinned\n    isBlocked\n    tags\n    unreadCount\n    lastMessageAt\n    createdAt\n    conversationClosed\n    assignee { id name }\n    lastMessage { id text type direction status revision isDeleted }\n  }\n"): (typeof documents)["\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    waId\n    isPinned\n    isBlocked\n    tags\n    unreadCount\n    lastMessageAt\n    createdAt\n    conversationClosed\n    assignee { id name }\n    lastMessage { id text type direction status revision isDeleted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactCounts {\n    contactCounts { mine unassigned all }\n  }\n"): (typeof documents)["\n  query ContactCounts {\n    contactCounts { mine unassigned all }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($contactId: ID!) {\n    contact(id: $contactId) {\n      id\n      ...ContactHeader_contact\n    }\n  }\n"): (typeof documents)["\n  query Conversation($contactId: ID!) {\n    contact(id: $contactId) {\n      id\n      ...ContactHeader_contact\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkContactRead($id: ID!) {\n    markContactRead(id: $id) { id unreadCount }\n  }\n"): (typeof documents)["\n  mutation MarkContactRead($id: ID!) {\n    markContactRead(id: $id) { id unreadCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageBubble_message on Message {\n    id\n    waMessageId\n    clientMessageId\n    direction\n    type\n    waType\n    text\n    status\n    resendableAt\n    revision\n    timestamp\n    payload\n    editedAt\n    isDeleted\n    forwarded\n    contextWaMessageId\n    error { code title message details }\n    media { mimeType filename voice animated url downloadStatus fileSize }\n    location { latitude longitude name address url }\n    reaction { messageId emoji }\n    replyTo { id direction type text isDeleted media { filename } }\n    sentBy { kind name }\n  }\n"): (typeof documents)["\n  fragment MessageBubble_message on Message {\n    id\n    waMessageId\n    clientMessageId\n    direction\n    type\n    waType\n    text\n    status\n    resendableAt\n    revision\n    timestamp\n    payload\n    editedAt\n    isDeleted\n    forwarded\n    contextWaMessageId\n    error { code title message details }\n    media { mimeType filename voice animated url downloadStatus fileSize }\n    location { latitude longitude name address url }\n    reaction { messageId emoji }\n    replyTo { id direction type text isDeleted media { filename } }\n    sentBy { kind name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApprovedTemplates {\n    templates(status: \"APPROVED\") {\n      id\n      name\n      language\n      category\n      components\n    }\n  }\n"): (typeof documents)["\n  query ApprovedTemplates {\n    templates(status: \"APPROVED\") {\n      id\n      name\n      language\n      category\n      components\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendMessage($id: ID!) {\n    resendMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation ResendMessage($id: ID!) {\n    resendMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DismissMessage($id: ID!) {\n    dismissMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation DismissMessage($id: ID!) {\n    dismissMessage(id: $id) {\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Messages($contactId: ID!, $first: Int, $after: String) {\n    messages(contactId: $contactId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...MessageBubble_message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Messages($contactId: ID!, $first: Int, $after: String) {\n    messages(contactId: $contactId, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node {\n          id\n          ...MessageBubble_message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MediaUrl($messageId: ID!) {\n    mediaUrl(messageId: $messageId)\n  }\n"): (typeof documents)["\n  query MediaUrl($messageId: ID!) {\n    mediaUrl(messageId: $messageId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      id\n      ...MessageBubble_message\n      contact { id }\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      id\n      ...MessageBubble_message\n      contact { id }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteCard_note on Note {\n    id\n    contactId\n    text\n    authorName\n    authorAgentId\n    mentionedAgentIds\n    createdAt\n  }\n"): (typeof documents)["\n  fragment NoteCard_note on Note {\n    id\n    contactId\n    text\n    authorName\n    authorAgentId\n    mentionedAgentIds\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notes($contactId: ID!, $first: Int) {\n    notes(contactId: $contactId, first: $first) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id ...NoteCard_note } }\n    }\n  }\n"): (typeof documents)["\n  query Notes($contactId: ID!, $first: Int) {\n    notes(contactId: $contactId, first: $first) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id ...NoteCard_note } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($contactId: ID!, $text: String!) {\n    addNote(contactId: $contactId, text: $text) { id ...NoteCard_note }\n  }\n"): (typeof documents)["\n  mutation AddNote($contactId: ID!, $text: String!) {\n    addNote(contactId: $contactId, text: $text) { id ...NoteCard_note }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NoteAdded {\n    noteAdded { id ...NoteCard_note contact { id name } }\n  }\n"): (typeof documents)["\n  subscription NoteAdded {\n    noteAdded { id ...NoteCard_note contact { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NoteSelf {\n    me { name agent { id name } }\n    agents { id name }\n  }\n"): (typeof documents)["\n  query NoteSelf {\n    me { name agent { id name } }\n    agents { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PresenceChanged($contactId: ID!) {\n    presenceChanged(contactId: $contactId) {\n      contactId\n      agents { agent { id name } typing }\n    }\n  }\n"): (typeof documents)["\n  subscription PresenceChanged($contactId: ID!) {\n    presenceChanged(contactId: $contactId) {\n      contactId\n      agents { agent { id name } typing }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($contactId: ID!, $typing: Boolean!) {\n    setTyping(contactId: $contactId, typing: $typing)\n  }\n"): (typeof documents)["\n  mutation SetTyping($contactId: ID!, $typing: Boolean!) {\n    setTyping(contactId: $contactId, typing: $typing)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageRevision on Message {\n    revision\n  }\n"): (typeof documents)["\n  fragment MessageRevision on Message {\n    revision\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamStats {\n    stats {\n      team {\n        from\n        to\n        agents {\n          agent { id name }\n          conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds\n        }\n        overall { conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds }\n        waitingLongest(first: 5) { id name lastInboundAt }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TeamStats {\n    stats {\n      team {\n        from\n        to\n        agents {\n          agent { id name }\n          conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds\n        }\n        overall { conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds }\n        waitingLongest(first: 5) { id name lastInboundAt }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;