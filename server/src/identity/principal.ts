import { registerEnumType } from 'type-graphql';

/** What an agent is: ADMIN manages the team and runs bulk sends; AGENT answers; VIEWER reads. */
export enum Role {
  ADMIN = 'ADMIN',
  AGENT = 'AGENT',
  VIEWER = 'VIEWER',
}
registerEnumType(Role, { name: 'Role' });

/** What an API key may do; also the permissions every GraphQL operation and route declares. */
export enum Scope {
  READ = 'READ',
  SEND = 'SEND',
  BULK = 'BULK',
  ADMIN = 'ADMIN',
  SESSIONS = 'SESSIONS',
  METRICS = 'METRICS',
}
registerEnumType(Scope, { name: 'Scope' });

/** What each role may do. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  [Role.VIEWER]: [Scope.READ],
  [Role.AGENT]: [Scope.READ, Scope.SEND],
  [Role.ADMIN]: [Scope.READ, Scope.SEND, Scope.BULK, Scope.ADMIN, Scope.SESSIONS],
};

/** Who is calling: an agent through a session token, or an API key (a bootstrap key from AUTH_TOKENS has no id). */
export type Principal =
  | { kind: 'agent'; id: string; name: string; role: Role; scopes: ReadonlySet<Scope>; expiresAt: number }
  | { kind: 'key'; id: string | null; name: string; scopes: ReadonlySet<Scope>; expiresAt: number | null };

/** Whether the caller may do what `scope` stands for. */
export function can(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope);
}

/** The rows a caller is recorded as (an outbound message's sender, a bulk send's launcher); a bootstrap key has none. */
export function actorIds(principal: Principal | undefined): { agentId: string | null; apiKeyId: string | null } {
  if (principal?.kind === 'agent') return { agentId: principal.id, apiKeyId: null };
  if (principal?.kind === 'key' && principal.id != null) return { agentId: null, apiKeyId: principal.id };
  return { agentId: null, apiKeyId: null };
}
