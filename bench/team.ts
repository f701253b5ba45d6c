/**
 * What the team inbox costs on the hot paths: the same workloads with the team in place (five
 * available agents, `AUTO_ASSIGN=round_robin`, four internal notes on every known conversation)
 * and without (no agents, no notes, no automatic assignment), each on a fresh database, alternating
 * so drift on the machine falls on both.
 * - processing: a stored backlog of customer messages where a third of the conversations are new,
 *   a third were closed and reopen, a third go on (round robin works on the first two thirds);
 * - latency: POST -> `messageAdded` frame, every post from a new customer, so each is assigned.
 */
import pg from 'pg';
import type { EmbeddedDatabase } from '../server/src/db/embedded.js';
import { createDatabase, startBenchApp } from './app.js';
import { measureFrameLatency } from './latency.js';
import { messagesWebhook } from './payload.js';
import { drainStored, type Drain } from './processing.js';
import { percentile, type Row } from './report.js';

const KNOWN = 5_000; // contacts before the backlog; half of them closed
const NEW = 2_500;
const EVENTS = 20_000;
const AGENTS = 5;
const NOTES_PER_CONTACT = 4;
const POSTS = 200;
const ROUNDS = 2;

const TEAM_ENV = { AUTO_ASSIGN: 'round_robin' };

function customerText(tag: string, i: number): Buffer {
  const from = String(16660000000 + (i % (KNOWN + NEW)));
  return Buffer.from(messagesWebhook({
    contacts: [{ profile: { name: `Team customer ${i % (KNOWN + NEW)}` }, wa_id: from }],
    messages: [{ from, id: `wamid.TEAM${tag}${i.toString(36)}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `team ${tag} ${i}` } }],
  }));
}

/** The contacts both variants start from; with the team, its agents and the notes as well. */
async function seed(db: pg.Pool, team: boolean): Promise<void> {
  await db.query(
    `insert into contact (wa_id, profile_name, conversation_closed, last_message_at, last_inbound_at)
     select (16660000000 + i)::text, 'Team customer ' || i, i % 2 = 0, now() - interval '2 days', now() - interval '2 days' from generate_series(0, $1 - 1) i`,
    [KNOWN],
  );
  if (!team) return;
  await db.query(
    `insert into agent (external_id, name, role, available) select 'bench-agent-' || i, 'Agent ' || i, 'AGENT', true from generate_series(1, $1) i`,
    [AGENTS],
  );
  await db.query(
    `insert into note (contact_id, text, author_agent_id, author_name)
     select c.id, 'note ' || n || ' on ' || c.wa_id, a.id, a.name
     from contact c cross join generate_series(1, $1) n join agent a on a.external_id = 'bench-agent-' || (1 + c.id % $2)`,
    [NOTES_PER_CONTACT, AGENTS],
  );
}

async function assigned(databaseUrl: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query('select count(*)::int as n from contact where assignee_id is not null')).rows[0].n;
  } finally {
    await db.end();
  }
}

async function processing(database: EmbeddedDatabase, dataDir: string, tag: string, team: boolean, round: number): Promise<Drain & { assigned: number }> {
  const url = await createDatabase(database, `bench_team_proc_${team ? 'on' : 'off'}_${round}`);
  const drained = await drainStored(url, dataDir, async (db) => {
    await seed(db, team);
    return Array.from({ length: EVENTS }, (_, i) => customerText(`${tag}${team ? 'T' : 'N'}${round}`, i));
  }, team ? TEAM_ENV : {});
  return { ...drained, assigned: await assigned(url) };
}

async function latency(database: EmbeddedDatabase, dataDir: string, tag: string, team: boolean, round: number): Promise<{ samples: number[]; missed: number; assigned: number }> {
  const url = await createDatabase(database, `bench_team_lat_${team ? 'on' : 'off'}_${round}`);
  const app = await startBenchApp(url, dataDir, team ? TEAM_ENV : {});
  try {
    const db = new pg.Pool({ connectionString: url, max: 1 });
    await seed(db, team).finally(() => db.end());
    const frames = await measureFrameLatency(app.url, { count: POSTS, tag: `${tag}${team ? 'T' : 'N'}${round}` });
    return { ...frames, assigned: await assigned(url) };
  } finally {
    await app.close();
  }
}

export async function measureTeamCost(opts: { database: EmbeddedDatabase; dataDir: string; tag: string; progress: (m: string) => void; notes: string[] }): Promise<Row[]> {
  const { database, dataDir, tag, progress, notes } = opts;
  const proc: Record<'on' | 'off', Array<Drain & { assigned: number }>> = { on: [], off: [] };
  const lat: Record<'on' | 'off', Array<{ samples: number[]; missed: number; assigned: number }>> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const team of [false, true]) {
      const key = team ? 'on' : 'off';
      progress(`team: processing ${EVENTS} stored customer messages ${team ? 'with' : 'without'} the team, round ${round + 1}/${ROUNDS}`);
      proc[key].push(await processing(database, dataDir, tag, team, round));
      progress(`team: POST -> messageAdded ${team ? 'with' : 'without'} the team, round ${round + 1}/${ROUNDS}`);
      lat[key].push(await latency(database, dataDir, tag, team, round));
    }
  }
  const rate = (d: Drain) => d.events / d.seconds;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const samples = (k: 'on' | 'off') => lat[k].flatMap((l) => l.samples);
  const wrong = (k: 'on' | 'off') => {
    const bad = proc[k].filter((d) => d.failed || d.messages !== EVENTS);
    const expectAssigned = k === 'on' ? proc[k].every((d) => d.assigned > 0) && lat[k].every((l) => l.assigned > 0) : proc[k].every((d) => d.assigned === 0);
    return bad.length || !expectAssigned ? `WRONG: ${bad.length} bad drains, assigned ${proc[k].map((d) => d.assigned).join('/')}` : undefined;
  };
  notes.push(
    `Team: processing events/s per round, with ${proc.on.map((d) => rate(d).toFixed(0)).join(', ')}; without ${proc.off.map((d) => rate(d).toFixed(0)).join(', ')}; `
      + `conversations assigned by the round robin ${proc.on.map((d) => d.assigned).join(', ')} (processing), ${lat.on.map((l) => l.assigned).join(', ')} (latency).`,
  );
  const missed = lat.on.reduce((n, l) => n + l.missed, 0) + lat.off.reduce((n, l) => n + l.missed, 0);
  return [
    { metric: `team: processing ${EVENTS.toLocaleString('en-US')} customer messages (events/s), with the team vs without`, app: mean(proc.on.map(rate)), baseline: mean(proc.off.map(rate)), digits: 0, ratio: wrong('on') ?? wrong('off') },
    { metric: 'team: POST -> messageAdded p50 (ms), with the team vs without', app: percentile(samples('on'), 50), baseline: percentile(samples('off'), 50), digits: 1 },
    { metric: 'team: POST -> messageAdded p99 (ms), with the team vs without', app: percentile(samples('on'), 99), baseline: percentile(samples('off'), 99), digits: 1, ratio: missed ? `${missed} missed` : undefined },
  ];
}
