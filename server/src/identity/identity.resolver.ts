import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { Agent } from './agent.entity.js';
import { ApiKey } from './api-key.entity.js';
import { Role, ROLE_SCOPES, Scope } from './principal.js';

@ObjectType({ description: 'The caller: an agent (through a session) or an API key, and what it may do' })
class Me {
  @Field(() => String, { description: 'AGENT or API_KEY' }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => [Scope], { description: 'What the caller may do' }) scopes!: Scope[];
  @Field(() => Agent, { nullable: true }) agent?: Agent | null;
  @Field(() => ApiKey, { nullable: true, description: 'Null for a bootstrap key (AUTH_TOKENS)' }) apiKey?: ApiKey | null;
  @Field(() => Date, { nullable: true, description: 'When the credential stops working' }) expiresAt?: Date | null;
}

@ObjectType({ description: 'A signed token for the widget of one agent' })
class AgentSession {
  @Field(() => String) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => Agent) agent!: Agent;
}

@ObjectType({ description: 'A new API key: `key` is shown this once' })
class CreatedApiKey {
  @Field(() => String) key!: string;
  @Field(() => ApiKey) apiKey!: ApiKey;
}

@InputType()
class CreateAgentSessionInput {
  @Field(() => String, { description: "The host dashboard's id for the person" }) externalId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => Role, { nullable: true, description: 'Default AGENT for a new agent; unchanged for a known one' }) role?: Role | null;
}

@InputType()
class UpdateAgentInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
}

@InputType()
class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => [Scope]) scopes!: Scope[];
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
}

/** Who is calling, the team's agents and the integrators' keys. */
@Resolver()
export class IdentityResolver {
  @Authorized()
  @Query(() => Me, { description: 'The caller and what it may do' })
  async me(@Ctx() { em, principal }: Context): Promise<Me> {
    const expiresAt = principal.expiresAt === null ? null : new Date(principal.expiresAt);
    if (principal.kind === 'agent') {
      return { kind: 'AGENT', name: principal.name, role: principal.role, scopes: [...ROLE_SCOPES[principal.role]], agent: await em.getRepository(Agent).findOne(principal.id), expiresAt };
    }
    const apiKey = principal.id ? await em.getRepository(ApiKey).findOne(principal.id) : null;
    return { kind: 'API_KEY', name: principal.name, role: null, scopes: [...principal.scopes], apiKey, expiresAt };
  }

  @Authorized(Scope.READ)
  @Query(() => [Agent], { description: 'The team, by name' })
  agents(@Ctx() { em }: Context) {
    return em.getRepository(Agent).list();
  }

  @Authorized(Scope.ADMIN)
  @Query(() => [ApiKey], { description: 'Every API key, newest first' })
  apiKeys(@Ctx() { em }: Context) {
    return em.getRepository(ApiKey).list();
  }

  @Authorized(Scope.SESSIONS)
  @Mutation(() => AgentSession, { description: "For the host dashboard's backend: a session for the agent it names (created or updated by externalId), valid SESSION_TTL_SECONDS" })
  async createAgentSession(@Arg('input', () => CreateAgentSessionInput) input: CreateAgentSessionInput, @Ctx() { em, services }: Context): Promise<AgentSession> {
    const agent = await em.getRepository(Agent).upsertProfile(input, Role.AGENT);
    return { ...(await services.auth.issueSession(agent)), agent };
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => Agent, { description: "Changes an agent's name, email or role" })
  updateAgent(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateAgentInput) input: UpdateAgentInput, @Ctx() { em }: Context) {
    return em.getRepository(Agent).edit(id, input);
  }

  @Authorized(Scope.SEND)
  @Mutation(() => Agent, { description: "The caller (an agent) is available for conversations, or away: AUTO_ASSIGN gives new ones only to available agents" })
  setAvailability(@Arg('available', () => Boolean) available: boolean, @Ctx() { em, principal }: Context) {
    // A key stands for no person, so it has no availability; its call is valid but names nobody.
    if (principal.kind !== 'agent') throw new AppError('BAD_USER_INPUT', "setAvailability sets an agent's own availability: call it with the agent's session");
    return em.getRepository(Agent).setAvailability(principal.id, available);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => Agent, { description: 'Deactivates an agent: its sessions are refused from now on' })
  async deactivateAgent(@Arg('id', () => ID) id: string, @Ctx() { em, services }: Context) {
    const agent = await em.getRepository(Agent).deactivate(id);
    services.auth.forget();
    return agent;
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => CreatedApiKey, { description: 'A new API key with these scopes; the key is in this answer only' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() { em }: Context): Promise<CreatedApiKey> {
    return em.getRepository(ApiKey).issue(input);
  }

  @Authorized(Scope.ADMIN)
  @Mutation(() => ApiKey, { description: 'Revokes an API key at once' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() { em, services }: Context) {
    const key = await em.getRepository(ApiKey).revoke(id);
    services.auth.forget();
    return key;
  }
}
