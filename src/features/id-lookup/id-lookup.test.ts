import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/staff.ts';

const HOUR = 3_600_000;

describe.each(DIALECTS)('ID look-up at a checkpoint on %s', (dialect) => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { idLookupPerHour: 3, idLookupBurstAlarm: 2 } });
    operator = await loginOperator(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  const lookUp = (idNumber: string, cookie = operator) => t.app.inject({ method: 'POST', url: '/api/checkpoint/id-lookup', headers: { cookie }, payload: { idNumber } });

  it('answers the current colour, masked name and birth year only; audits it with the operator; limits each operator per hour with 429 and an alarm on repeated bursts', async () => {
    const h = await registerHolder(t.app, { name: 'Zhang Wei', dateOfBirth: '1948-05-02' });
    await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: ['cough'], placesVisited: [] } });
    // typed with spaces and lower case: the same document
    const spaced = h.body.idNumber.toLowerCase().replace(/(.{6})/, '$1 ');
    const res = await lookUp(spaced);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ colour: 'yellow', maskedName: 'Z** Wei', birthYear: 1948 });

    const db = t.deps.store.db;
    const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'holder.id_lookup').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_kind: 'staff', actor_id: 'staff-op-1', actor_role: 'checkpoint_operator', subject_kind: 'holder', subject_id: h.holder.id });
    expect(entry.detail).not.toContain(h.body.idNumber);
    // the holder sees who looked them up
    const accessLog = await t.app.inject({ method: 'GET', url: '/api/holder/access-log', headers: { cookie: h.cookie } });
    expect(accessLog.statusCode).toBe(200);
    expect(accessLog.body).toContain('id_lookup');

    const unknown = await lookUp('990000000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('unknown_holder');
    expect((await db.selectFrom('audit_log').select('detail').where('action', '=', 'holder.id_lookup').where('subject_id', 'is', null).execute()).length).toBe(1);

    await lookUp(h.body.idNumber); // the third this hour
    const over = await lookUp(h.body.idNumber);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('id_lookup_rate_limited');
    expect(over.json().error.message).toMatch(/3 ID documents an hour/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(await db.selectFrom('alarms').selectAll().where('kind', '=', 'id_lookup_burst').execute()).toHaveLength(0);
    expect((await lookUp(h.body.idNumber)).statusCode).toBe(429);
    const alarms = await db.selectFrom('alarms').selectAll().where('kind', '=', 'id_lookup_burst').execute();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.subject).toBe('staff:staff-op-1');

    // another operator has their own allowance
    const second = await staffMember(t, 'checkpoint_operator');
    expect((await lookUp(h.body.idNumber, second.cookie)).statusCode).toBe(200);
    // an hour later the first operator may look up again
    t.clock.advance(HOUR + 1000);
    expect((await lookUp(h.body.idNumber)).statusCode).toBe(200);
  });

  it('is for checkpoint operators only, and refuses bad input', async () => {
    const manager = await staffMember(t, 'venue_manager');
    expect((await lookUp('330781199001010001', manager.cookie)).statusCode).toBe(403);
    const h = await registerHolder(t.app);
    expect((await lookUp('330781199001010001', h.cookie)).statusCode).toBe(403);
    expect((await lookUp('330781199001010001', '')).statusCode).toBe(401);
    const bad = await lookUp('<script>');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
    const extra = await t.app.inject({ method: 'POST', url: '/api/checkpoint/id-lookup', headers: { cookie: operator }, payload: { idNumber: '330781199001010001', name: 'x' } });
    expect(extra.statusCode).toBe(400);
  });
});
