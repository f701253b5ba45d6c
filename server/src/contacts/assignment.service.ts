import type { Context } from '../context.js';
import type { Tx } from '../db/tx.js';
import { AppError } from '../errors.js';
import { Agent } from '../identity/agent.entity.js';
import type { AgentRepository } from '../identity/agent.repository.js';
import { can, Role, Scope, type Principal } from '../identity/principal.js';
import { Contact } from './contact.entity.js';
import type { ContactRepository } from './contact.repository.js';

/**
 * Gives a conversation to an agent, or to nobody (`agentId` null). ADMIN gives any conversation to
 * any active agent; an agent (a session with SEND) takes an unassigned conversation or one of their
 * own, and gives up their own; anyone else is FORBIDDEN. Publishes CONTACT_UPDATED once committed.
 */
export async function assignContact(ctx: Context, contactId: string, agentId: string | null): Promise<Contact> {
  const admin = can(ctx.principal, Scope.ADMIN);
  let assignee: Agent | null = null;
  if (agentId != null) {
    assignee = await ctx.em.getRepository(Agent).byId(agentId);
    if (!assignee.active) throw new AppError('BAD_USER_INPUT', `${assignee.name} is deactivated and cannot take conversations`, { field: 'agentId' });
    if (assignee.role === Role.VIEWER) throw new AppError('BAD_USER_INPUT', `${assignee.name} is a viewer and cannot take conversations`, { field: 'agentId' });
  }
  const { contact, changed } = await ctx.em.getRepository(Contact).assignTo(contactId, agentId, (current) => {
    if (!admin) checkAgentMay(ctx.principal, current, agentId);
  });
  if (changed) ctx.services.pubsub.publish('CONTACT_UPDATED', { id: contact.id });
  return contact;
}

/** An agent without ADMIN may take an unassigned conversation (or keep their own) and give up their own, nothing more. */
function checkAgentMay(principal: Principal, current: string | null, agentId: string | null): void {
  if (principal.kind !== 'agent') throw new AppError('FORBIDDEN', 'assigning conversations needs an agent\'s session or ADMIN', { needs: [Scope.ADMIN] });
  if (agentId != null && agentId !== principal.id) {
    throw new AppError('FORBIDDEN', 'an agent may assign a conversation only to themselves; assigning it to someone else needs ADMIN', { needs: [Scope.ADMIN] });
  }
  if (current != null && current !== principal.id) {
    throw new AppError('FORBIDDEN', 'this conversation is assigned to another agent; only an admin may reassign it', { needs: [Scope.ADMIN] });
  }
}

/**
 * AUTO_ASSIGN=round_robin: conversations that just opened go to the available agents in turns
 * (AgentRepository.takeTurns), inside the webhook transaction that opened them. Nobody available:
 * they stay unassigned.
 */
export function roundRobin(agents: AgentRepository, contacts: ContactRepository): (tx: Tx, contactIds: string[]) => Promise<void> {
  return async (tx, contactIds) => {
    const turns = await agents.takeTurns(tx, contactIds.length);
    if (turns.length) await contacts.assignTurns(tx, contactIds, turns);
  };
}
