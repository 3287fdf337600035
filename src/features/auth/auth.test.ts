import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../../core/auth/totp.ts';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { STAFF_PASSWORD, staffMember } from '../../../test/support/staff.ts';

describe.each(DIALECTS)('authentication on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  const staffLogin = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/staff/login', payload });

  it('session cookies are HttpOnly, SameSite=Strict, and Secure when configured', async () => {
    const h = await registerHolder(t.app);
    const c = h.res.cookies.find((x) => x.name === 'hc_holder')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
    expect(c.secure).toBeFalsy();
    const s = await makeTestApp({ dialect: 'sqlite', config: { cookieSecure: true } });
    const r = await registerHolder(s.app);
    expect(r.res.cookies.find((x) => x.name === 'hc_holder')!.secure).toBe(true);
    await s.close();
  });

  it('officials need their TOTP code: missing → totp_required, wrong → bad_credentials, right → in, reused → refused', async () => {
    const o = await staffMember(t, 'official');
    const missing = await staffLogin({ username: o.username, password: STAFF_PASSWORD });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('totp_required');
    const wrongCode = String((Number(totp(o.totpSecret!, t.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await staffLogin({ username: o.username, password: STAFF_PASSWORD, totp: wrongCode });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('bad_credentials');
    t.clock.advance(30_000);
    const code = totp(o.totpSecret!, t.clock.now());
    const ok = await staffLogin({ username: o.username, password: STAFF_PASSWORD, totp: code });
    expect(ok.statusCode).toBe(200);
    const replay = await staffLogin({ username: o.username, password: STAFF_PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
    // a checkpoint operator needs no second factor
    const c = await staffMember(t, 'checkpoint_operator');
    expect(c.cookie).toMatch(/^hc_staff=/);
  });

  it('an official without an enrolled second factor cannot log in', async () => {
    const o = await staffMember(t, 'official');
    await t.deps.store.db.updateTable('staff_accounts').set({ totp_secret: null }).where('id', '=', o.id).execute();
    const res = await staffLogin({ username: o.username, password: STAFF_PASSWORD, totp: '123456' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('totp_not_enrolled');
  });

  it('locks a holder account after 5 wrong passwords with a message saying until when, then lets it in after the lock', async () => {
    const h = await registerHolder(t.app);
    const login = (password: string) => t.app.inject({ method: 'POST', url: '/api/holder/login', payload: { phone: h.body.phone, password } });
    for (let i = 1; i <= 4; i++) expect((await login('wrong password')).json().error.code).toBe('bad_credentials');
    const fifth = await login('wrong password');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toMatchObject({ code: 'account_locked' });
    const until = new Date(t.clock.now().getTime() + 15 * 60_000).toISOString();
    expect(fifth.json().error.message).toContain(until);
    // even the right password is refused while locked
    const locked = await login(h.body.password);
    expect(locked.json().error.code).toBe('account_locked');
    t.clock.advance(15 * 60_000 + 1);
    const after = await login(h.body.password);
    expect(after.statusCode).toBe(200);
  });

  it('locks staff accounts the same way; the log-in route is also limited per address', async () => {
    // a fresh app: the per-address log-in limit (10 a minute) counts every log-in of this suite
    const u = await makeTestApp({ dialect });
    const login = (payload: Record<string, unknown>) => u.app.inject({ method: 'POST', url: '/api/staff/login', payload });
    const c = await staffMember(u, 'checkpoint_operator');
    for (let i = 1; i <= 4; i++) expect((await login({ username: c.username, password: 'nope-nope' })).json().error.code).toBe('bad_credentials');
    expect((await login({ username: c.username, password: 'nope-nope' })).json().error.code).toBe('account_locked');
    expect((await login({ username: c.username, password: STAFF_PASSWORD })).json().error.code).toBe('account_locked');
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await login({ username: 'someone-else', password: 'whatever' })).json().error.code);
    expect(codes).toEqual(['bad_credentials', 'bad_credentials', 'bad_credentials', 'rate_limited']);
    await u.close();
  });

  describe('cross-site writes with a session cookie are refused (Fetch Metadata, then Origin)', () => {
    const declare = (cookie: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/holder/check-ins', headers: { cookie, ...headers }, payload: {} });

    it.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Origin: null', { origin: 'null' }],
    ])('%s → 403 cross_site_request, nothing stored', async (_name, headers) => {
      const h = await registerHolder(t.app);
      const res = await declare(h.cookie, headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('cross_site_request');
      const rows = await t.deps.store.db.selectFrom('check_ins').select('id').where('holder_id', '=', h.holder.id).execute();
      expect(rows).toHaveLength(0);
    });

    it.each([
      ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
      ['its own Origin', { origin: 'http://localhost:80', host: 'localhost:80' }],
      ['no browser headers (a command-line client)', {}],
    ])('%s is let through', async (_name, headers) => {
      const h = await registerHolder(t.app);
      expect((await declare(h.cookie, headers)).statusCode).toBe(201);
    });

    it('reads are not affected, and a cross-site log-in is refused too (login CSRF)', async () => {
      const h = await registerHolder(t.app);
      const read = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie, 'sec-fetch-site': 'cross-site' } });
      expect(read.statusCode).toBe(200);
      const login = await t.app.inject({ method: 'POST', url: '/api/holder/login', headers: { 'sec-fetch-site': 'cross-site' }, payload: { phone: h.body.phone, password: h.body.password } });
      expect(login.json().error.code).toBe('cross_site_request');
    });
  });
});
