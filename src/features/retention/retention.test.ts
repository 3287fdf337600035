import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, VENUE_ID, OTHER_VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/staff.ts';
import { DAY_MS, dayOf, ensureScanPartitions } from '../../db/partitions.ts';
import type { ScanTable } from '../../db/schema.ts';
import { verifyAuditLog } from '../audit/service.ts';
import { holderTables } from './holder-data.ts';
import { runPurge } from './service.ts';

function scanRow(scannedAt: number, venueId: string, over: Partial<ScanTable> = {}): ScanTable {
  return {
    event_id: crypto.randomUUID(),
    venue_id: venueId,
    operator_id: null,
    holder_id: null,
    code_id: null,
    scanned_at: scannedAt,
    received_at: scannedAt,
    mode: 'camera',
    direction: null,
    temperature_c: null,
    verdict_ok: 1,
    verdict_error: null,
    verdict_colour: 'green',
    verdict: '{}',
    fingerprint: 'f',
    ...over,
  };
}

describe.each(DIALECTS)('retention and holders\' rights on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 720 } });
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.deps.store.db;
  const purge = () => runPurge(db(), { now: t.clock.now(), scanRetentionDays: t.deps.rules.inForce(t.clock.now()).parameters.scanRetentionDays, config: t.deps.config, random: t.deps.random });

  it('purge leaves no scan older than the ruleset\'s retention, to the millisecond, and keeps the counts', async () => {
    const now = t.clock.now().getTime();
    const retention = t.deps.rules.inForce(t.clock.now()).parameters.scanRetentionDays;
    expect(retention).toBe(21);
    const cutoff = now - retention * DAY_MS;
    await ensureScanPartitions(db(), dayOf(cutoff) - 10, dayOf(now) + 1);
    const ages = [30 * DAY_MS, 22 * DAY_MS, retention * DAY_MS + 1, retention * DAY_MS, retention * DAY_MS - 1, 3 * DAY_MS, 60_000];
    const rows = ages.flatMap((age, i) => [
      scanRow(now - age, VENUE_ID),
      scanRow(now - age, OTHER_VENUE_ID, i % 2 ? { verdict_ok: 0, verdict_colour: null, verdict_error: 'expired' } : {}),
    ]);
    await db().insertInto('scans').values(rows).execute();
    await db().insertInto('scan_event_ids').values(rows.map((r) => ({ event_id: r.event_id, scanned_at: r.scanned_at }))).execute();
    const expectedGone = rows.filter((r) => r.scanned_at < cutoff);
    expect(expectedGone).toHaveLength(6);

    const r = await purge();
    expect(r.scansDeleted).toBe(6);
    expect(r.scanIdsDeleted).toBe(6);
    const old = await db().selectFrom('scans').select('event_id').where('scanned_at', '<', cutoff).execute();
    expect(old).toEqual([]);
    const oldIds = await db().selectFrom('scan_event_ids').select('event_id').where('scanned_at', '<', cutoff).execute();
    expect(oldIds).toEqual([]);
    // exactly at the cutoff and younger: kept
    const kept = await db().selectFrom('scans').select('event_id').where('event_id', 'in', rows.map((x) => x.event_id)).execute();
    expect(kept).toHaveLength(rows.length - 6);

    // aggregates: per venue and UTC day, what was deleted
    const counts = await db().selectFrom('scan_daily_counts').selectAll().execute();
    const total = counts.reduce((s, c) => s + Number(c.scans), 0);
    expect(total).toBe(6);
    const other = counts.filter((c) => c.venue_id === OTHER_VENUE_ID);
    expect(other.reduce((s, c) => s + Number(c.invalid), 0)).toBe(expectedGone.filter((x) => x.verdict_ok === 0).length);
    expect(counts.filter((c) => c.venue_id === VENUE_ID).reduce((s, c) => s + Number(c.passes), 0)).toBe(3);

    // idempotent: a second run deletes nothing and counts nothing twice
    const again = await purge();
    expect(again.scansDeleted).toBe(0);
    const counts2 = await db().selectFrom('scan_daily_counts').selectAll().execute();
    expect(counts2.reduce((s, c) => s + Number(c.scans), 0)).toBe(6);

    // a day later the next slice goes, and is added to the same aggregates
    t.clock.advance(DAY_MS);
    const later = await purge();
    // the ages 21 d and 21 d − 1 ms, at both venues
    expect(later.scansDeleted).toBe(4);
    const left = await db().selectFrom('scans').select('scanned_at').where('scanned_at', '<', t.clock.now().getTime() - retention * DAY_MS).execute();
    expect(left).toEqual([]);
    expect((await db().selectFrom('scan_daily_counts').selectAll().execute()).reduce((s, c) => s + Number(c.scans), 0)).toBe(10);
  });

  it('purges other data after its configured period, and publishes the audit head once a day', async () => {
    t.clock.advance(DAY_MS);
    const h = await registerHolder(t.app);
    const now = t.clock.now().getTime();
    await db()
      .insertInto('declarations')
      .values([
        { id: crypto.randomUUID(), holder_id: h.holder.id, symptoms: '[]', temperature_c: null, places_visited: '[]', declared_at: now - 61 * DAY_MS },
        { id: crypto.randomUUID(), holder_id: h.holder.id, symptoms: '[]', temperature_c: null, places_visited: '[]', declared_at: now - 59 * DAY_MS },
      ])
      .execute();
    await db()
      .insertInto('issued_codes')
      .values({ code_id: crypto.randomBytes(8).toString('hex'), holder_id: h.holder.id, kind: 'live', colour: 'green', issued_at: now - 30 * DAY_MS, expires_at: now - 30 * DAY_MS + 300_000 })
      .execute();
    await db().insertInto('sessions').values({ token_hash: 'x'.repeat(64), subject_kind: 'holder', subject_id: h.holder.id, created_at: now - 2 * DAY_MS, expires_at: now - DAY_MS }).execute();
    const r = await purge();
    expect(r.declarationsDeleted).toBe(1);
    expect(r.issuedCodesDeleted).toBeGreaterThanOrEqual(1);
    expect(r.sessionsDeleted).toBeGreaterThanOrEqual(1);
    expect(await db().selectFrom('declarations').select('id').where('declared_at', '<', now - 60 * DAY_MS).execute()).toEqual([]);
    expect(r.auditHead.published).toBe(true);
    expect((await purge()).auditHead.published).toBe(false);
    const pub = (await t.app.inject('/api/public/transparency')).json();
    expect(pub.auditLog.publishedHeads[0]).toMatchObject({ day: t.clock.now().toISOString().slice(0, 10), seq: r.auditHead.seq });
  });

  it('a holder exports everything stored about them, from every table that holds their rows', async () => {
    const h = await registerHolder(t.app);
    await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: ['fever'], placesVisited: [] } });
    await t.app.inject({ method: 'POST', url: '/api/holder/check-ins', headers: { cookie: h.cookie }, payload: { temperatureC: 38.2 } });
    await t.app.inject({ method: 'POST', url: '/api/holder/appeals', headers: { cookie: h.cookie }, payload: { text: 'please review my fever, it was the sauna' } });
    const official = await staffMember(t, 'official');
    await t.app.inject({ method: 'GET', url: `/api/official/holders/${h.holder.id}?reason=${encodeURIComponent('checking the appeal')}`, headers: { cookie: official.cookie } });
    const res = await t.app.inject({ method: 'GET', url: '/api/holder/export', headers: { cookie: h.cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    const data = res.json();
    expect(Object.keys(data.tables).sort()).toEqual((await holderTables(db())).sort());
    expect(data.tables.holders[0]).toMatchObject({ id: h.holder.id, name: h.body.name, phone: h.body.phone });
    expect(data.tables.holders[0].password_hash).toBeUndefined();
    expect(data.tables.holders[0].id_hash).toBeUndefined();
    expect(data.tables.declarations[0].symptoms).toEqual(['fever']);
    expect(data.tables.check_ins).toHaveLength(1);
    expect(data.tables.appeals).toHaveLength(1);
    expect(data.tables.assessments.length).toBeGreaterThanOrEqual(2);
    expect(data.accessLog[0]).toMatchObject({ role: 'official', action: 'holder.read', reason: 'checking the appeal' });
    expect(res.body).not.toContain(official.id);
  });

  it('deletion waits for the legally required hold, is shown to the holder, then removes every row; the audit log still verifies', async () => {
    const h = await registerHolder(t.app);
    const now = t.clock.now().getTime();
    await db()
      .insertInto('lab_results')
      .values({ id: crypto.randomUUID(), holder_id: h.holder.id, kind: 'pcr', result: 'negative', sampled_at: now - 2 * DAY_MS, reported_at: now - DAY_MS, verified: 1, review: 'verified', lab: 'County lab', source: 'lab', created_at: now - DAY_MS })
      .execute();
    const req = await t.app.inject({ method: 'POST', url: '/api/holder/deletion-request', headers: { cookie: h.cookie } });
    expect(req.statusCode).toBe(201);
    const del = req.json().deletion;
    expect(del.applyAfter).toBe(new Date(now - DAY_MS + 30 * DAY_MS).toISOString());
    expect(del.holdReasons.join(' ')).toMatch(/kept for 30 days/);
    expect((await t.app.inject({ method: 'POST', url: '/api/holder/deletion-request', headers: { cookie: h.cookie } })).json().error.code).toBe('deletion_already_requested');
    expect((await t.app.inject({ method: 'GET', url: '/api/holder/deletion-request', headers: { cookie: h.cookie } })).json().deletion).toEqual(del);

    expect((await purge()).deletionsApplied).toBe(0);
    expect(await db().selectFrom('holders').select('id').where('id', '=', h.holder.id).executeTakeFirst()).toBeDefined();

    t.clock.set(new Date(Date.parse(del.applyAfter) + 1000));
    const r = await purge();
    expect(r.deletionsApplied).toBe(1);
    for (const table of await holderTables(db())) {
      const column = table === 'holders' ? 'id' : 'holder_id';
      const rows = await db().selectFrom(table as 'holders').select(column as 'id').where(column as 'id', '=', h.holder.id).execute();
      expect(rows, table).toEqual([]);
    }
    const login = await t.app.inject({ method: 'POST', url: '/api/holder/login', payload: { phone: h.body.phone, password: h.body.password } });
    expect(login.json().error.code).toBe('bad_credentials');
    const status = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } });
    expect(status.statusCode).toBe(401);
    const record = await db().selectFrom('deletion_requests').selectAll().where('holder_id', '=', h.holder.id).executeTakeFirstOrThrow();
    expect(Number(record.applied_at)).toBe(t.clock.now().getTime());
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });

  it('deletion is postponed while the code is not green', async () => {
    const h = await registerHolder(t.app);
    await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: ['cough'], placesVisited: [] } });
    const del = (await t.app.inject({ method: 'POST', url: '/api/holder/deletion-request', headers: { cookie: h.cookie } })).json().deletion;
    expect(del.holdReasons.join(' ')).toMatch(/your code is yellow/);
    t.clock.set(new Date(Date.parse(del.applyAfter)));
    await purge();
    expect(await db().selectFrom('holders').select('id').where('id', '=', h.holder.id).executeTakeFirst()).toBeDefined();
  });
});
