import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { cookieOf, holderInput, makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';

describe.each(DIALECTS)('holders on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a holder, logs them in, and starts green with no reasons', async () => {
    const { res, holder, body } = await registerHolder(t.app, { name: 'Zhang Wei', idNumber: 'G1234567X9' });
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.holder).toMatchObject({ name: 'Zhang Wei', maskedName: 'Z** Wei', birthYear: 1990, idLast4: '67X9', region: 'CN-LX-01' });
    expect(json.assessment).toMatchObject({ colour: 'green', reasons: [], rulesetVersion: '2026.11.1' });
    const cookie = res.cookies.find((c) => c.name === 'hc_holder')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    // the ID document number is stored only as a keyed hash plus its last 4 characters
    const row = await t.deps.store.db.selectFrom('holders').selectAll().where('id', '=', holder.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(body.idNumber);
    expect(row.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('logs in with phone and password; a wrong password or unknown phone is 401 bad_credentials', async () => {
    const { body } = await registerHolder(t.app);
    const ok = await t.app.inject({ method: 'POST', url: '/api/holder/login', payload: { phone: body.phone, password: body.password } });
    expect(ok.statusCode).toBe(200);
    const status = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: cookieOf(ok, 'hc_holder') } });
    expect(status.statusCode).toBe(200);
    expect(status.json().assessment.colour).toBe('green');
    for (const payload of [
      { phone: body.phone, password: 'wrong password' },
      { phone: '19999999999', password: body.password },
    ]) {
      const bad = await t.app.inject({ method: 'POST', url: '/api/holder/login', payload });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error.code).toBe('bad_credentials');
    }
  });

  it('refuses a second registration with the same phone or ID document, changing nothing', async () => {
    const { body } = await registerHolder(t.app);
    const count = async () => Number((await t.deps.store.db.selectFrom('holders').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const samePhone = await t.app.inject({ method: 'POST', url: '/api/holder/register', payload: holderInput({ phone: body.phone }) });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error.code).toBe('already_registered');
    const sameId = await t.app.inject({ method: 'POST', url: '/api/holder/register', payload: holderInput({ idNumber: body.idNumber.toLowerCase() }) });
    expect(sameId.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it.each([
    ['a missing field', (b: Record<string, unknown>) => { delete b.name; }, 'invalid_request'],
    ['an unknown field', (b: Record<string, unknown>) => { b.religion = 'x'; }, 'invalid_request'],
    ['a short password', (b: Record<string, unknown>) => { b.password = 'short'; }, 'invalid_request'],
    ['a bad region code', (b: Record<string, unknown>) => { b.region = 'lanxi'; }, 'invalid_request'],
    ['a date of birth that is not a date', (b: Record<string, unknown>) => { b.dateOfBirth = '2001-02-30'; }, 'invalid_date'],
    ['a date of birth in the future', (b: Record<string, unknown>) => { b.dateOfBirth = '2030-01-01'; }, 'invalid_date'],
    ['an unknown time zone', (b: Record<string, unknown>) => { b.timeZone = 'Mars/Olympus'; }, 'invalid_request'],
  ])('rejects registration with %s (400 %s)', async (_name, mutate, code) => {
    const body = holderInput() as unknown as Record<string, unknown>;
    mutate(body);
    const res = await t.app.inject({ method: 'POST', url: '/api/holder/register', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toBeTruthy();
    const row = await t.deps.store.db.selectFrom('holders').select('id').where('phone', '=', String(body.phone)).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/holder/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Zhang',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('malformed_json');
  });

  it('needs a session for the holder routes', async () => {
    for (const url of ['/api/holder/status', '/api/holder/code', '/api/holder/declarations']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
      const forged = await t.app.inject({ method: 'GET', url, headers: { cookie: 'hc_holder=forged-token' } });
      expect(forged.statusCode).toBe(401);
    }
  });

  it('logging out ends the session', async () => {
    const { cookie } = await registerHolder(t.app);
    const out = await t.app.inject({ method: 'POST', url: '/api/holder/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('a session expires after the configured hours', async () => {
    const { cookie } = await registerHolder(t.app);
    t.clock.advance(t.deps.config.sessionHours * 3_600_000 + 1);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie } });
      expect(res.statusCode).toBe(401);
    } finally {
      t.clock.set('2026-11-23T08:00:00.000Z');
    }
  });
});
