/**
 * Seeds a migrated database with `contacts` contacts and `messages` messages in a few set-based
 * statements (generate_series), shaped like ingest leaves them: texts of varied words (so trigram
 * search has work to do), inbound and outbound messages over the last year (stored in time order) with realistic statuses,
 * some failures, pinned and tagged contacts, and per contact `last_message_at`, `last_message_id`,
 * `last_inbound_at` and `unread_count` (inbound messages after the last outbound one). Plain
 * (non-constraint) indexes are dropped for the bulk insert and recreated from their own definitions.
 */
import type pg from 'pg';

/** Common words of a support conversation; a text is 3 to 14 of them. */
export const WORDS = (`hello hi thanks thank you please order delivery package parcel tracking number invoice refund payment card
  price discount coupon offer size colour color red blue black white green small medium large return exchange address street
  city postcode tomorrow today yesterday morning evening week weekend monday friday store shop online app website account
  password login email phone call help support question problem issue broken damaged missing wrong late early fast slow
  great good bad okay sure yes no maybe when where what why how much many still waiting shipped arrived received sent
  cancel change update confirm booking appointment table reservation menu pizza coffee shoes shirt jacket dress bag watch
  battery charger cable screen laptop warranty repair service technician visit schedule available stock sold out restock
  gift wrap birthday holiday christmas sale black friday voucher points loyalty member premium subscription plan monthly
  yearly upgrade downgrade receipt bill charge twice bank transfer paypal cash courier driver door neighbour pickup locker`)
  .split(/\s+/).filter(Boolean);

/** First names and surnames the contacts' profile names are made of. */
export const FIRST = 'Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances Edsger Radia Tim Hedy Claude Katherine John Mary Niklaus Sophie Guido'.split(' ');
export const LAST = 'Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Perlman Berners-Lee Lamarr Shannon Johnson McCarthy Jackson Wirth Wilson Rossum'.split(' ');

const lit = (xs: string[]) => `array[${xs.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]::text[]`;

export async function seedQueries(db: pg.Pool | pg.Client, opts: { contacts: number; messages: number }): Promise<void> {
  const { contacts, messages } = opts;
  const { rows: idx } = await db.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
     where i.schemaname = 'public' and i.tablename in ('contact', 'message')
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
  );
  await db.query(`select setseed(0.42)`);
  for (const { name } of idx) await db.query(`drop index "${name}"`);
  await db.query(
    `insert into contact (wa_id, profile_name, is_pinned, tags, created_at)
     select (49150000000 + g)::text, (${lit(FIRST)})[1 + g % ${FIRST.length}] || ' ' || (${lit(LAST)})[1 + (g / ${FIRST.length}) % ${LAST.length}] || ' ' || g,
       g % 5000 = 0, case when g % 7 = 0 then array['vip'] when g % 11 = 0 then array['wholesale', 'b2b'] else '{}' end,
       now() - interval '400 days'
     from generate_series(1, ${contacts}) g`,
  );
  // Contacts skewed: low ids talk a lot, many talk little, some never.
  await db.query(
    `insert into message (wa_message_id, contact_id, direction, type, text, status, source, timestamp, created_at, updated_at, error_code, error_title)
     select 'wamid.SEED' || g, c0 + floor(${contacts} * power(rc, 1.6))::bigint, dir, 'TEXT',
       array_to_string(array(
         select (${lit(WORDS)})[1 + floor(random() * ${WORDS.length})::int] from generate_series(1, 3 + (g % 12))
       ), ' ') || case when g % 50 = 0 then ' order #' || (100000 + g % 90000) else '' end,
       status, case when dir = 'INBOUND' then 'CUSTOMER' else 'API' end, at, at, at,
       case when status = 'FAILED' then (array[131047, 131026, 130472])[1 + g % 3] end,
       case when status = 'FAILED' then (array['Re-engagement message', 'Message undeliverable', 'User''s number is part of an experiment'])[1 + g % 3] end
     from (
       select g, rc, at, case when rd < 0.55 then 'INBOUND' else 'OUTBOUND' end as dir,
         case when rd < 0.55 then 'RECEIVED' when rs < 0.6 then 'READ' when rs < 0.85 then 'DELIVERED' when rs < 0.93 then 'SENT' when rs < 0.98 then 'FAILED' else 'PENDING' end as status
       from (select g, random() as rc, random() as rd, random() as rs, now() - random() * interval '365 days' as at from generate_series(1, ${messages}) g) r0
     ) r, (select min(id) as c0 from contact) c
     order by at`, // as ingest stores them: the table's physical order follows time
  );
  await db.query(
    `update contact c set last_message_id = m.id, last_message_at = m.timestamp, last_inbound_at = m.last_in, unread_count = m.unread
     from (
       select distinct on (contact_id) contact_id, id, timestamp,
         max(timestamp) filter (where direction = 'INBOUND') over w as last_in,
         count(*) filter (where direction = 'INBOUND') over w - count(*) filter (where direction = 'INBOUND' and timestamp < last_out) over w as unread
       from (select *, max(timestamp) filter (where direction = 'OUTBOUND') over (partition by contact_id) as last_out from message) x
       window w as (partition by contact_id)
       order by contact_id, timestamp desc, id desc
     ) m
     where c.id = m.contact_id`,
  );
  for (const { def } of idx) await db.query(def);
  await db.query('vacuum analyze contact');
  await db.query('vacuum analyze message');
  // Write out the seed's gigabyte of dirty pages now, not during the measurements (a database in
  // steady state has no such backlog).
  await db.query('checkpoint');
}
