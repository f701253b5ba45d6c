import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver } from 'type-graphql';
import { Contact } from '../contacts/contact.entity.js';
import type { Context } from '../context.js';
import { rowView } from '../db/row.view.js';
import { AppError } from '../errors.js';
import { checkPageSize } from '../graphql/connection.js';
import { Agent } from '../identity/agent.entity.js';
import { Role, Scope } from '../identity/principal.js';
import { readTeamStats, readWaitingLongest, type TeamRow } from '../search/team.stats.js';
import { Stats } from './ops.resolver.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest period `team` reads: a year, leap day included. */
const MAX_SPAN_DAYS = 366;

@ObjectType({ description: 'Figures over a period, of one agent or the whole team' })
class TeamFigures {
  @Field(() => Int, { description: 'Conversations given to them (by anyone, or by the round robin) in the period' }) conversationsAssigned!: number;
  @Field(() => Int, { description: 'Conversations they closed in the period' }) conversationsClosed!: number;
  @Field(() => Int, { description: "Messages sent through their session in the period (bulk sends, API keys and the phone are no agent's; failed ones left out)" })
  messagesSent!: number;
  @Field(() => Int, { description: 'Conversations started in the period that got a first reply from them' }) firstResponses!: number;
  @Field(() => Float, { nullable: true, description: "Median seconds from a conversation's first customer message to the first agent reply; null without replies" })
  firstResponseMedianSeconds?: number | null;
  @Field(() => Float, { nullable: true, description: '90th percentile of the same' }) firstResponseP90Seconds?: number | null;
}

/** One agent's figures. */
@ObjectType({ description: "One agent's figures over the period" })
class AgentStats extends TeamFigures {
  @Field(() => Agent) agent!: Agent;
}

/** The team's figures over a period, each agent's and in all. */
@ObjectType({
  description:
    'The team over [from, to). A conversation starts at a customer message (not a reaction) when the contact had no message in the 24 hours before, ' +
    'or the conversation was closed since the message before; its first response is the next message an agent sent from a session, ' +
    'credited to that agent. A customer who writes again while still waiting stays in one conversation.',
})
export class TeamStats {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => [AgentStats], { description: 'Active agents and admins, and anyone else with figures in the period, by name' }) agents!: AgentStats[];
  @Field(() => TeamFigures, { description: "The whole team: every assignment and close (API keys' closes too), every agent's messages and replies" })
  overall!: TeamFigures;
}

@ArgsType()
class TeamArgs {
  @Field(() => Date, { nullable: true, description: 'Start, included; default: 7 days before `to`' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'End, excluded; default: now' }) to?: Date;
}

/** The period `team` reads: the last 7 days unless given; BAD_USER_INPUT when empty, reversed or past a year. */
export function teamPeriod(from: Date | null | undefined, to: Date | null | undefined): { from: Date; to: Date } {
  const end = to ?? new Date();
  const start = from ?? new Date(end.getTime() - 7 * DAY_MS);
  if (!(start.getTime() < end.getTime())) throw new AppError('BAD_USER_INPUT', 'from must be before to', { field: 'from' });
  if (end.getTime() - start.getTime() > MAX_SPAN_DAYS * DAY_MS) throw new AppError('BAD_USER_INPUT', `the period may span at most ${MAX_SPAN_DAYS} days`, { field: 'to' });
  return { from: start, to: end };
}

/**
 * The team's figures, a field of `stats` with READ like the rest of it: agents see their colleagues'
 * figures because everything in them is already theirs to read (who sent each message, who holds each
 * conversation); a team inbox shares its workload.
 */
@Resolver(() => Stats)
export class TeamStatsResolver {
  @Authorized(Scope.READ)
  @FieldResolver(() => TeamStats, { description: 'Per agent and in all over [from, to), by default the last 7 days; at most 366 days' })
  async team(
    @Args(() => TeamArgs) { from, to }: TeamArgs,
    @Ctx() { em, services: { pool } }: Context,
  ): Promise<TeamStats> {
    const period = teamPeriod(from, to);
    const rows = await readTeamStats(pool, period.from, period.to);
    const ids = [...rows.keys()].filter((k) => k !== 'all');
    const agents = await em.find(Agent, { $or: [{ id: { $in: ids } }, { active: true, role: { $in: [Role.AGENT, Role.ADMIN] } }] }, { orderBy: { name: 'asc', id: 'asc' } });
    const figures = (r: TeamRow | undefined): TeamFigures => ({
      conversationsAssigned: r?.conversationsAssigned ?? 0,
      conversationsClosed: r?.conversationsClosed ?? 0,
      messagesSent: r?.messagesSent ?? 0,
      firstResponses: r?.firstResponses ?? 0,
      firstResponseMedianSeconds: r?.firstResponseMedianSeconds ?? null,
      firstResponseP90Seconds: r?.firstResponseP90Seconds ?? null,
    });
    return { ...period, agents: agents.map((agent) => ({ agent, ...figures(rows.get(agent.id)) })), overall: figures(rows.get('all')) };
  }
}

/** The conversations waiting longest for a reply (now, whatever the period). */
@Resolver(() => TeamStats)
export class WaitingResolver {
  @Authorized(Scope.READ)
  @FieldResolver(() => [Contact], { description: 'Open conversations whose last message is the customer\'s, the longest waiting first (by lastInboundAt)' })
  async waitingLongest(@Arg('first', () => Int, { defaultValue: 10 }) first: number, @Ctx() { em, services: { pool, config } }: Context): Promise<Contact[]> {
    checkPageSize(first, config.graphql.maxPageSize);
    return (await readWaitingLongest(pool, first)).map((r) => rowView(em, Contact, r));
  }
}
