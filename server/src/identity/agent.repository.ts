import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import { AppError } from '../errors.js';
import type { Agent } from './agent.entity.js';
import type { Role } from './principal.js';

/** What the host dashboard says about the person a session is for. */
export interface AgentProfile {
  externalId: string;
  name?: string | null;
  email?: string | null;
  role?: Role | null;
}

/** The owner of `agent`. */
export class AgentRepository extends SqlRepository<Agent> {
  /**
   * The agent the host dashboard names, created or brought up to date (name, email and role, where
   * given); FORBIDDEN for a deactivated one.
   */
  async upsertProfile(p: AgentProfile, defaultRole: Role): Promise<Agent> {
    if (!p.externalId.trim() || p.externalId.length > 200) throw new AppError('BAD_USER_INPUT', 'externalId must have 1 to 200 characters', { field: 'externalId' });
    if (p.name && p.name.length > 200) throw new AppError('BAD_USER_INPUT', 'name is longer than 200 characters', { field: 'name' });
    if (p.email && (p.email.length > 320 || !/^[^\s@]+@[^\s@]+$/.test(p.email))) throw new AppError('BAD_USER_INPUT', 'email is not an address', { field: 'email' });
    let agent = await this.findOne({ externalId: p.externalId });
    if (!agent) {
      agent = this.create({ externalId: p.externalId, name: p.name?.trim() || p.externalId, email: p.email ?? null, role: p.role ?? defaultRole });
    } else {
      if (!agent.active) throw new AppError('FORBIDDEN', `agent ${p.externalId} is deactivated`);
      if (p.name?.trim()) agent.name = p.name.trim();
      if (p.email !== undefined) agent.email = p.email;
      if (p.role) agent.role = p.role;
    }
    agent.lastSeenAt = new Date();
    await this.em.flush();
    return agent;
  }

  /** The agent with this id, or NOT_FOUND. */
  async byId(id: string): Promise<Agent> {
    const agent = /^\d+$/.test(id) ? await this.findOne(id) : null;
    if (!agent) throw new AppError('NOT_FOUND', `no agent ${id}`);
    return agent;
  }

  /** Changes an agent's name, email or role. */
  async edit(id: string, input: { name?: string | null; email?: string | null; role?: Role | null }): Promise<Agent> {
    const agent = await this.byId(id);
    if (input.name != null) {
      if (!input.name.trim() || input.name.length > 200) throw new AppError('BAD_USER_INPUT', 'name must have 1 to 200 characters');
      agent.name = input.name.trim();
    }
    if (input.email !== undefined) agent.email = input.email;
    if (input.role) agent.role = input.role;
    await this.em.flush();
    return agent;
  }

  /** Deactivates an agent: its sessions are refused from now on. */
  async deactivate(id: string): Promise<Agent> {
    const agent = await this.byId(id);
    agent.active = false;
    await this.em.flush();
    return agent;
  }

  /** Marks an agent available for conversations (AUTO_ASSIGN's turns) or away. */
  async setAvailability(id: string, available: boolean): Promise<Agent> {
    const agent = await this.byId(id);
    agent.available = available;
    await this.em.flush();
    return agent;
  }

  /**
   * The next `n` turns of AUTO_ASSIGN: the available active agents and admins, the oldest last turn
   * first, around again when there are more turns than agents; each one's last turn is recorded.
   * Empty when nobody is available.
   */
  async takeTurns(tx: Tx, n: number): Promise<string[]> {
    // SQL: in the webhook transaction that opened the conversations. The agents' rows are locked in id
    // order and waited for, not skipped: another process's turns must be counted before taking the next
    // (skipping would let two processes hand the same agent the same turn, or find nobody to pick).
    // The locks are held until that batch commits; their last turns are read after the wait.
    const rows = await tx.rows<{ id: string }>(
      `with locked as (
         select id, last_auto_assigned_at from agent where active and available and role in ('AGENT', 'ADMIN') order by id for no key update
       ), ranked as (
         select id, row_number() over (order by last_auto_assigned_at nulls first, id) - 1 as rank, count(*) over () as k from locked
       ), turns as (
         select r.id, i from generate_series(0, $1::int - 1) as i join ranked r on r.rank = i % r.k
       ), bumped as (
         update agent a set last_auto_assigned_at = (select clock_timestamp()) + make_interval(secs => t.last / 1e6)
         from (select id, max(i) as last from turns group by id) t where a.id = t.id
       )
       select id::text as id from turns order by i`,
      [n],
    );
    return rows.map((r) => r.id);
  }

  /** Every agent, by name. */
  list(): Promise<Agent[]> {
    return this.findAll({ orderBy: { name: 'asc', id: 'asc' } });
  }

  /** The ids of deactivated agents. */
  async deactivatedIds(): Promise<Set<string>> {
    // SQL: one column of a few rows, read every few seconds by every process; no entities to keep.
    const { rows } = await this.db.query(`select id::text as id from agent where not active`);
    return new Set(rows.map((r) => r.id as string));
  }
}
