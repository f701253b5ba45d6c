import type { AuthCheckerFn } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { can, type Scope } from '../identity/principal.js';

/**
 * type-graphql's check of `@Authorized(...scopes)`: the caller must hold every scope named (none
 * named: any caller). A caller that may not gets FORBIDDEN; one without a credential never gets here
 * (the transports refuse it with UNAUTHENTICATED).
 */
export const authChecker: AuthCheckerFn<Context, Scope> = ({ context }, scopes) => {
  const principal = context.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'a valid bearer token is required');
  const missing = scopes.filter((s) => !can(principal, s));
  if (missing.length) throw new AppError('FORBIDDEN', `this needs ${missing.join(' and ')}, which ${principal.kind === 'agent' ? `the ${principal.role} role` : 'this key'} does not have`, { needs: missing });
  return true;
};
