import { GraphQLError } from 'graphql';

/** The closed set of error codes clients see in `extensions.code`. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A known caller whose role or scopes do not allow the operation. */
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  OUTSIDE_SERVICE_WINDOW: 'OUTSIDE_SERVICE_WINDOW',
  CONTACT_BLOCKED: 'CONTACT_BLOCKED',
  WHATSAPP_ERROR: 'WHATSAPP_ERROR',
  /** A subscriber fell too far behind the events; its subscription ended. */
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
} as const;
/** One of the error codes clients see. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const httpStatus: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

/** An expected failure; becomes a GraphQL error with `extensions.code` (and extra extensions). */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    const status = httpStatus[code];
    super(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
  }
}
