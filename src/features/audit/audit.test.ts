import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH } from '../../core/audit/chain.ts';
import { createTestStore, DIALECTS, type TestStore } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/staff.ts';
import { appendAudit, audit, AuditBatcher, publishAuditHead, rowToChainEntry, verifyAuditLog, type AuditInput } from './service.ts';

const T = new Date('2026-11-23T08:00:00Z');
const entry = (i: number): AuditInput => ({
  at: new Date(T.getTime() + i * 1000),
  actor: { kind: 'staff', id: `official-${i % 3}`, role: 'official' },
  action: 'holder.read',
  subject: { kind: 'holder', id: `holder-${i}` },
  reason: `checking case ${i}`,
  detail: { n: i, nested: { b: 2, a: 1 } },
});

describe('canonical JSON', () => {
  it('sorts keys at every level, drops undefined, refuses NaN', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
});

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await createTestStore(dialect);
  });
  afterAll(async () => {
    await ts.drop();
  });
  // one store per dialect; each test starts from an empty log
  beforeEach(async () => {
    await ts.store.db.deleteFrom('audit_log').execute();
    await ts.store.db.deleteFrom('audit_heads').execute();
  });
  const db = () => ts.store.db;

  async function seed(n: number) {
    for (let i = 1; i <= n; i++) await audit(db(), entry(i));
  }

  it('chains each entry to the previous one with SHA-256 over canonical JSON, and verifies', async () => {
    await seed(5);
    const rows = await db().selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const { hash, ...fields } = rowToChainEntry(rows[2]!);
    expect(entryHash(fields)).toBe(hash);
    expect(rows[2]!.detail).toBe('{"n":3,"nested":{"a":1,"b":2}}');
    expect(await verifyAuditLog(db())).toMatchObject({ ok: true, entries: 5, head: { seq: 5, hash: rows[4]!.hash }, break: null });
  });

  it('detects a tampered row and names it', async () => {
    await seed(6);
    await db().updateTable('audit_log').set({ reason: 'nothing to see' }).where('seq', '=', 4).execute();
    const r = await verifyAuditLog(db());
    expect(r.ok).toBe(false);
    expect(r.break).toMatchObject({ seq: 4, problem: 'hash_mismatch' });
    expect(r.entries).toBe(3);
  });

  it('detects a tampered row whose hash was recomputed (the next entry no longer follows it)', async () => {
    await seed(6);
    const row = (await db().selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow())!;
    const forged = { ...rowToChainEntry(row), actorId: 'someone-else' };
    const { hash: _old, ...fields } = forged;
    await db().updateTable('audit_log').set({ actor_id: 'someone-else', hash: entryHash(fields) }).where('seq', '=', 3).execute();
    expect((await verifyAuditLog(db())).break).toMatchObject({ seq: 4, problem: 'previous_hash_mismatch' });
  });

  it('detects a deleted row', async () => {
    await seed(6);
    await db().deleteFrom('audit_log').where('seq', '=', 3).execute();
    const r = await verifyAuditLog(db());
    expect(r.break).toMatchObject({ seq: 4, problem: 'missing_entry' });
    expect(r.break!.message).toContain('3');
  });

  it('detects two reordered rows', async () => {
    await seed(6);
    // swap the content of entries 2 and 3, keeping the sequence numbers in place
    const [a, b] = await db().selectFrom('audit_log').selectAll().where('seq', 'in', [2, 3]).orderBy('seq').execute();
    await db().updateTable('audit_log').set({ seq: -1 }).where('seq', '=', 2).execute();
    await db().updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute();
    await db().updateTable('audit_log').set({ seq: 3 }).where('seq', '=', -1).execute();
    expect(a!.hash).not.toBe(b!.hash);
    const r = await verifyAuditLog(db());
    expect(r.ok).toBe(false);
    expect(r.break).toMatchObject({ seq: 2, problem: 'previous_hash_mismatch' });
  });

  it('detects the newest entries cut off, against a published head', async () => {
    await seed(4);
    expect(await publishAuditHead(db(), T)).toMatchObject({ seq: 4, published: true });
    expect(await publishAuditHead(db(), new Date(T.getTime() + 3_600_000))).toMatchObject({ seq: 4, published: false });
    await seed(2);
    expect((await verifyAuditLog(db())).publishedHeadsChecked).toBe(1);
    await db().deleteFrom('audit_log').where('seq', '>=', 4).execute();
    expect((await verifyAuditLog(db())).break).toMatchObject({ seq: 4, problem: 'head_mismatch' });
  });

  it('concurrent appends never fork the chain (plain appends, transactions and the batcher at once)', async () => {
    const batcher = new AuditBatcher(db());
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 0) jobs.push(audit(db(), entry(i)));
      else if (i % 3 === 1) jobs.push(db().transaction().execute((trx) => appendAudit(trx, [entry(i), entry(i + 1000)])));
      else jobs.push(batcher.append(entry(i)));
    }
    await Promise.all(jobs);
    await batcher.close();
    const r = await verifyAuditLog(db());
    expect(r).toMatchObject({ ok: true, entries: 80 });
    const seqs = (await db().selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((x) => Number(x.seq));
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it('an entry written in a transaction that rolls back leaves no trace', async () => {
    await seed(2);
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await audit(trx, entry(3));
          throw new Error('the write failed');
        }),
    ).rejects.toThrow('the write failed');
    expect(await verifyAuditLog(db())).toMatchObject({ ok: true, entries: 2 });
  });
});

describe.each(DIALECTS)('what the audit log records, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  it('every write through the API, with who, role and subject; an official\'s read with its reason; auditors verify it', async () => {
    const h = await registerHolder(t.app);
    await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: ['cough'], placesVisited: [] } });
    await t.app.inject({ method: 'POST', url: '/api/holder/check-ins', headers: { cookie: h.cookie }, payload: {} });
    const official = await staffMember(t, 'official');
    const read = await t.app.inject({ method: 'GET', url: `/api/official/holders/${h.holder.id}?reason=${encodeURIComponent('appeal review')}`, headers: { cookie: official.cookie } });
    expect(read.statusCode).toBe(200);
    const noReason = await t.app.inject({ method: 'GET', url: `/api/official/holders/${h.holder.id}`, headers: { cookie: official.cookie } });
    expect(noReason.statusCode).toBe(400);
    const rows = await t.deps.store.db.selectFrom('audit_log').selectAll().where('subject_id', '=', h.holder.id).orderBy('seq').execute();
    expect(rows.map((r) => [r.actor_kind, r.actor_role, r.action])).toEqual([
      ['anonymous', 'anonymous', 'POST /api/holder/register'],
      ['holder', 'holder', 'POST /api/holder/declarations'],
      ['holder', 'holder', 'POST /api/holder/check-ins'],
      ['staff', 'official', 'holder.read'],
    ]);
    expect(rows[3]!).toMatchObject({ actor_id: official.id, reason: 'appeal review' });
    const auditor = await staffMember(t, 'auditor');
    const v = await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: { cookie: auditor.cookie } });
    expect(v.json()).toMatchObject({ ok: true, break: null });
    const list = await t.app.inject({ method: 'GET', url: `/api/audit/entries?subjectId=${h.holder.id}`, headers: { cookie: auditor.cookie } });
    expect(list.json().entries).toHaveLength(4);
  });

  it('reads by officials, supervisors and auditors are audited too; a checkpoint operator\'s are not', async () => {
    const sup = await staffMember(t, 'supervisor');
    const op = await staffMember(t, 'checkpoint_operator');
    const before = Number((await t.deps.store.db.selectFrom('audit_log').select((e) => e.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
    expect((await t.app.inject({ method: 'GET', url: '/api/official/overrides', headers: { cookie: sup.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/me', headers: { cookie: op.cookie } })).statusCode).toBe(200);
    const rows = await t.deps.store.db.selectFrom('audit_log').selectAll().where('seq', '>', before).orderBy('seq').execute();
    expect(rows.map((r) => [r.actor_id, r.action])).toEqual([[sup.id, 'GET /api/official/overrides']]);
  });

  it('scans are audited per request, naming the operator and the venue, never the holder', async () => {
    const before = Number((await t.deps.store.db.selectFrom('audit_log').select((e) => e.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m ?? 0);
    const op = await staffMember(t, 'checkpoint_operator');
    const payload = { eventId: crypto.randomUUID(), venueId: 'V0001', code: 'HCQ1:ABC', scannedAt: t.clock.now().toISOString(), mode: 'manual' };
    const res = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: op.cookie }, payload });
    expect(res.statusCode).toBe(201);
    const rows = await t.deps.store.db.selectFrom('audit_log').selectAll().where('seq', '>', before).where('action', '=', 'POST /api/checkpoint/scans').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: op.id, actor_role: 'checkpoint_operator', subject_kind: 'venue', subject_id: 'V0001' });
    expect(JSON.parse(rows[0]!.detail)).toEqual({ eventId: res.json().eventId, outcome: 'stored' });
    expect(rows[0]!.detail).not.toContain('holder');
    // a repeat is acknowledged and audited as a duplicate; the same id for another scan as a reuse (409)
    expect((await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: op.cookie }, payload })).statusCode).toBe(200);
    const reuse = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: op.cookie }, payload: { ...payload, code: 'HCQ1:ABD' } });
    expect(reuse.statusCode).toBe(409);
    const later = await t.deps.store.db.selectFrom('audit_log').selectAll().where('seq', '>', Number(rows[0]!.seq)).where('action', '=', 'POST /api/checkpoint/scans').orderBy('seq').execute();
    expect(later.map((r) => JSON.parse(r.detail).outcome)).toEqual(['duplicate', 'event_id_reused']);
  });
});
