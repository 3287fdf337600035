// Hostile input through every free-text field: stored byte for byte, answered as JSON that a
// browser will not render; the tables are all still there. Size and rate limits, headers, 5xx.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { verifyAuditLog } from '../audit/service.ts';

const PAYLOADS = [
  "Robert'); DROP TABLE holders;--",
  "' OR '1'='1' --",
  '"; DELETE FROM audit_log; --',
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x') ${7*7} {{7*7}} \\u0000 🙂",
];

function expectInertJson(res: { headers: Record<string, unknown> }) {
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
}

describe.each(DIALECTS)('hostile input on %s', (dialect) => {
  let t: TestApp;
  let official: TestStaff;
  let supervisor: TestStaff;
  let auditor: TestStaff;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
    official = await staffMember(t, 'official');
    supervisor = await staffMember(t, 'supervisor');
    auditor = await staffMember(t, 'auditor');
  });
  afterAll(async () => {
    await t.close();
  });
  const db = () => t.deps.store.db;
  const inject = (method: 'GET' | 'POST', url: string, cookie: string | null, payload?: unknown) =>
    t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload === undefined ? {} : { payload: payload as string }) });

  it.each(PAYLOADS)('%s — through every text field, stored inert and answered escaped', async (p) => {
    const padded = p.length < 10 ? `${p} (padding)` : p;
    // holder name
    const h = await registerHolder(t.app, { name: p.slice(0, 100) });
    expect((await db().selectFrom('holders').select('name').where('id', '=', h.holder.id).executeTakeFirstOrThrow()).name).toBe(p.slice(0, 100).trim());
    const status = await inject('GET', '/api/holder/status', h.cookie);
    expectInertJson(status);
    expect(status.json().holder.name).toBe(p.slice(0, 100).trim());
    // log-in fields
    expect((await inject('POST', '/api/staff/login', null, { username: p.slice(0, 64), password: p })).json().error.code).toBe('bad_credentials');
    expect((await inject('POST', '/api/holder/login', null, { phone: p.slice(0, 32), password: p })).json().error.code).toBe('bad_credentials');
    // appeal text
    await inject('POST', '/api/holder/declarations', h.cookie, { symptoms: ['cough'], placesVisited: [] });
    const appeal = (await inject('POST', '/api/holder/appeals', h.cookie, { text: padded })).json().appeal;
    expect(appeal.text).toBe(padded);
    expect((await db().selectFrom('appeals').select('text').where('id', '=', appeal.id).executeTakeFirstOrThrow()).text).toBe(padded);
    // an official's stated reason (query string), the decision's reason, the override note
    const read = await inject('GET', `/api/official/holders/${h.holder.id}?reason=${encodeURIComponent(padded)}`, official.cookie);
    expectInertJson(read);
    expect(read.json().holder.name).toBe(p.slice(0, 100).trim());
    const until = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const decided = await inject('POST', `/api/official/appeals/${appeal.id}/decision`, official.cookie, {
      outcome: 'upheld',
      reason: padded,
      override: { colour: 'green', reasonCode: 'clinical_assessment', until },
    });
    expect(decided.json().appeal.decision.reason).toBe(padded);
    const overrideId = decided.json().appeal.override.id;
    expect((await db().selectFrom('overrides').select('note').where('id', '=', overrideId).executeTakeFirstOrThrow()).note).toBe(padded);
    const rejected = await inject('POST', `/api/official/overrides/${overrideId}/reject`, supervisor.cookie, { note: padded });
    expect(rejected.json().override.decisionNote).toBe(padded);
    const log = (await inject('GET', '/api/holder/access-log', h.cookie)).json().entries;
    expect(log.find((e: { action: string }) => e.action === 'holder.read').reason).toBe(padded);
    // an alarm's acknowledgement note (the override above, on a holder with facts, raised none; make one)
    const bare = await registerHolder(t.app);
    await inject('POST', '/api/official/overrides', official.cookie, { holderId: bare.holder.id, colour: 'red', reasonCode: 'clinical_assessment', note: padded, until });
    const alarm = (await inject('GET', '/api/audit/alarms?open=true', auditor.cookie)).json().alarms[0];
    const ack = await inject('POST', `/api/audit/alarms/${alarm.id}/acknowledge`, auditor.cookie, { note: padded });
    expect(ack.json().alarm.acknowledged.note).toBe(padded);
    // every table is still there, the audit log is intact
    for (const table of ['holders', 'audit_log', 'appeals', 'overrides', 'alarms']) {
      const n = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db());
      expect(Number(n.rows[0]!.n), table).toBeGreaterThan(0);
    }
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });
});

describe('limits, headers and errors', () => {
  it('bodies over the limit are refused with 413 and nothing is stored', async () => {
    const t = await makeTestApp();
    const res = await t.app.inject({ method: 'POST', url: '/api/holder/register', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    await t.close();
  });

  it('each route class has its own rate limit, per session (holders) or per address (public)', async () => {
    const t = await makeTestApp({ config: { rateHolderPerMinute: 5, ratePublicPerMinute: 3 } });
    const a = await registerHolder(t.app);
    const b = await registerHolder(t.app);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: a.cookie } })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: a.cookie } });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: b.cookie } })).statusCode).toBe(200);
    const pub: number[] = [];
    for (let i = 0; i < 4; i++) pub.push((await t.app.inject('/api/public/regions')).statusCode);
    expect(pub).toEqual([200, 200, 200, 429]);
    await t.close();
  });

  it('sends the security headers on API answers', async () => {
    const t = await makeTestApp();
    const res = await t.app.inject('/api/public/transparency');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    await t.close();
  });

  it('a store error inside a due-process route answers 500 without internals', async () => {
    const t = await makeTestApp();
    const h = await registerHolder(t.app);
    await sql`drop table appeal_evidence`.execute(t.deps.store.db);
    await sql`drop table appeals`.execute(t.deps.store.db);
    const res = await t.app.inject({ method: 'GET', url: '/api/holder/appeals', headers: { cookie: h.cookie } });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
    expect(res.body).not.toMatch(/appeals|sqlite|table|select/i);
    await t.close();
  });
});
