import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase45, encodeHealthCode, generateSigningKey } from '../../core/token/index.ts';
import { SCAN_VARIANTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, OTHER_VENUE_ID, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';

describe.each(SCAN_VARIANTS)('checkpoint scans on $name', ({ dialect, verifyWorkers, authCacheMs }) => {
  let t: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { verifyWorkers, authCacheMs } });
    staff = await loginOperator(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  async function liveCode(over: { symptoms?: string[] } = {}) {
    const h = await registerHolder(t.app);
    if (over.symptoms) {
      await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: over.symptoms, placesVisited: [] } });
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } });
    expect(res.statusCode).toBe(200);
    return { ...h, code: res.json() as { token: string; svg: string; colour: string; expiresAt: string } };
  }

  const scan = (payload: Record<string, unknown>, cookie = staff) =>
    t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie }, payload });

  function scanBody(code: string, over: Record<string, unknown> = {}) {
    return { eventId: crypto.randomUUID(), venueId: VENUE_ID, code, scannedAt: t.clock.now().toISOString(), mode: 'camera', ...over };
  }

  const storedScans = (eventId: string) => t.deps.store.db.selectFrom('scans').selectAll().where('event_id', '=', eventId).execute();

  it('the holder gets a signed live code of 5 minutes; the checkpoint scans it; the scan is stored with the verdict', async () => {
    const { code, holder } = await liveCode();
    expect(code.token).toMatch(/^HCQ1:[0-9A-Z $%*+\-./:]+$/);
    expect(code.svg).toContain('<svg');
    expect(code.expiresAt).toBe('2026-11-23T08:05:00.000Z');
    const body = scanBody(code.token, { temperatureC: 36.6 });
    const res = await scan(body);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      eventId: body.eventId,
      status: 'stored',
      verdict: { ok: true, pass: true, error: null, colour: 'green', maskedName: 'Z** Wei', birthYear: 1990, region: 'CN-LX' },
    });
    const rows = await storedScans(body.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ venue_id: VENUE_ID, holder_id: holder.id, verdict_ok: 1, verdict_colour: 'green', temperature_c: 36.6, mode: 'camera' });
  });

  it('verifies the codes where this variant says: on the worker threads, or in-line', async () => {
    const { code } = await liveCode();
    expect((await scan(scanBody(code.token))).json().verdict.ok).toBe(true);
    const metrics = (await t.app.inject('/metrics')).body;
    const count = (where: string) => Number(new RegExp(`^healthcode_codes_verified_total\\{where="${where}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    if (verifyWorkers > 0) {
      expect(count('worker')).toBeGreaterThan(0);
      expect(count('main')).toBe(0);
    } else {
      expect(count('worker')).toBe(0);
      expect(count('main')).toBeGreaterThan(0);
    }
  });

  it('a yellow holder scans as ok but not pass', async () => {
    const { code } = await liveCode({ symptoms: ['cough'] });
    const res = await scan(scanBody(code.token));
    expect(res.json().verdict).toMatchObject({ ok: true, pass: false, colour: 'yellow' });
  });

  it('the same event id twice stores one scan and answers the same verdict', async () => {
    const { code } = await liveCode();
    const body = scanBody(code.token);
    const first = await scan(body);
    const second = await scan(body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ status: 'duplicate', eventId: body.eventId, verdict: first.json().verdict, storedAt: first.json().storedAt });
    expect(await storedScans(body.eventId)).toHaveLength(1);
  });

  it('the same event id with a different scan is refused (409 event_id_reused), and the first stays', async () => {
    const { code } = await liveCode();
    const body = scanBody(code.token);
    await scan(body);
    const res = await scan({ ...body, temperatureC: 39 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('event_id_reused');
    const rows = await storedScans(body.eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.temperature_c).toBeNull();
  });

  it('many concurrent scans are each acknowledged once and all stored (group commit)', async () => {
    const { code } = await liveCode();
    const bodies = Array.from({ length: 60 }, () => scanBody(code.token));
    const results = await Promise.all([...bodies, ...bodies.slice(0, 10)].map((b) => scan(b)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(60);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10);
    const rows = await t.deps.store.db.selectFrom('scans').select('event_id').where('event_id', 'in', bodies.map((b) => b.eventId)).execute();
    expect(rows).toHaveLength(60);
  });

  it('concurrent scans of different holders (their reads made together) each name their own holder; a revoked code among them is refused alone', async () => {
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await liveCode()); // registrations are rate-limited per address
    // the second person's code is revoked (as a reprint of a paper code would)
    const revokedId = (await t.deps.store.db.selectFrom('issued_codes').select('code_id').where('holder_id', '=', people[1]!.holder.id).executeTakeFirstOrThrow()).code_id;
    await t.deps.store.db
      .insertInto('code_revocations')
      .values({ code_id: revokedId, reason: 'test', revoked_at: t.clock.now().getTime() - 1000, code_expires_at: t.clock.now().getTime() + 3_600_000, holder_id: people[1]!.holder.id })
      .execute();
    // each scanned twice, all at once
    const bodies = [...people, ...people].map((p) => scanBody(p.code.token));
    const results = await Promise.all(bodies.map((b) => scan(b)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(results.map((r) => r.json().verdict.error)).toEqual([null, 'revoked', null, null, 'revoked', null]);
    const rows = await t.deps.store.db.selectFrom('scans').select(['event_id', 'holder_id']).where('event_id', 'in', bodies.map((b) => b.eventId)).execute();
    const holderOf = new Map(rows.map((r) => [r.event_id, r.holder_id]));
    expect(bodies.map((b) => holderOf.get(b.eventId))).toEqual([...people, ...people].map((p) => p.holder.id));
  });

  describe('bad codes are recorded as scans with a typed verdict error, never a crash', () => {
    const cases: [string, (token: string) => string, string][] = [
      ['truncated', (tok) => tok.slice(0, tok.length - 10), 'bad_'],
      ['bit-flipped', (tok) => tok.slice(0, 40) + (tok[40] === 'A' ? 'B' : 'A') + tok.slice(41), ''],
      ['oversized', () => 'HCQ1:' + 'A'.repeat(4092), 'too_large'],
      ['a DCC where a healthcode is expected', () => 'HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B3KL6QM5/OVGA/MAT%ZSGO/J8', 'wrong_kind'],
      ['garbage', () => 'hello world', 'bad_prefix'],
      ['bad base45', (tok) => 'HCQ1:' + tok.slice(5, 20) + 'abc', 'bad_base45'],
    ];
    it.each(cases)('%s', async (_name, mutate, expected) => {
      const { code } = await liveCode();
      const body = scanBody(mutate(code.token));
      const res = await scan(body);
      expect(res.statusCode).toBe(201);
      const v = res.json().verdict;
      expect(v.ok).toBe(false);
      expect(v.pass).toBe(false);
      expect(typeof v.error).toBe('string');
      if (expected) expect(v.error.startsWith(expected)).toBe(true);
      expect(v.colour).toBeNull();
      const rows = await storedScans(body.eventId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ verdict_ok: 0, holder_id: null });
    });

    it('an expired code (5 minutes and 1 second later)', async () => {
      const { code } = await liveCode();
      t.clock.advance(5 * 60_000 + 1000);
      try {
        const res = await scan(scanBody(code.token));
        expect(res.json().verdict).toMatchObject({ ok: false, error: 'expired' });
      } finally {
        t.clock.set('2026-11-23T08:00:00.000Z');
      }
    });

    it('a code signed by a key that is not in the trust list', async () => {
      const rogue = generateSigningKey();
      const forged = encodeHealthCode(
        { codeId: 'ab'.repeat(16), colour: 'green', maskedName: 'X** Y', birthYear: 1980, rulesetVersion: 'x', region: 'CN-LX', issuedAt: t.clock.now(), validUntil: new Date(t.clock.now().getTime() + 60_000), kind: 'live' },
        rogue,
      );
      const res = await scan(scanBody(forged));
      expect(res.json().verdict).toMatchObject({ ok: false, error: 'unknown_kid' });
      // the same kid as ours but another key: the signature does not verify
      const impostor = encodeHealthCode(
        { codeId: 'cd'.repeat(16), colour: 'green', maskedName: 'X** Y', birthYear: 1980, rulesetVersion: 'x', region: 'CN-LX', issuedAt: t.clock.now(), validUntil: new Date(t.clock.now().getTime() + 60_000), kind: 'live' },
        { ...rogue, kid: t.key.kid },
      );
      expect((await scan(scanBody(impostor))).json().verdict).toMatchObject({ ok: false, error: 'bad_signature' });
    });

    it('random base45 after the prefix', async () => {
      const res = await scan(scanBody('HCQ1:' + encodeBase45(crypto.randomBytes(120))));
      expect(res.json().verdict.ok).toBe(false);
    });
  });

  it('verify answers the verdict without storing a scan', async () => {
    const { code } = await liveCode();
    const before = await t.deps.store.db.selectFrom('scans').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'POST', url: '/api/checkpoint/verify', headers: { cookie: staff }, payload: { code: code.token } });
    expect(res.json()).toMatchObject({ ok: true, colour: 'green' });
    const after = await t.deps.store.db.selectFrom('scans').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it.each([
    ['an unknown venue', { venueId: 'V9999' }, 404, 'unknown_venue'],
    ['a venue the operator does not operate', { venueId: OTHER_VENUE_ID }, 403, 'forbidden'],
    ['an event id that is not a UUID', { eventId: 'scan-1' }, 400, 'invalid_request'],
    ['a time without an offset', { scannedAt: '2026-11-23T08:00:00' }, 400, 'invalid_request'],
    ['a time an hour in the future', { scannedAt: '2026-11-23T09:00:00Z' }, 400, 'invalid_date'],
    ['a time beyond retention', { scannedAt: '2026-10-01T09:00:00Z' }, 400, 'invalid_date'],
    ['an unknown mode', { mode: 'telepathy' }, 400, 'invalid_request'],
    ['an unknown field', { holderName: 'x' }, 400, 'invalid_request'],
    ['a code of more than 8192 characters', { code: 'HCQ1:' + 'A'.repeat(8200) }, 400, 'invalid_request'],
  ])('refuses %s and stores nothing', async (_name, over, status, code) => {
    const body = scanBody('HCQ1:ABC', over);
    const res = await scan(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    const rows = await t.deps.store.db.selectFrom('scans').select('event_id').where('event_id', '=', String(body.eventId)).execute();
    expect(rows).toEqual([]);
  });

  it('needs a staff session with a scanning role; a holder session is not one', async () => {
    const { cookie } = await registerHolder(t.app);
    const anon = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', payload: scanBody('HCQ1:ABC') });
    expect(anon.statusCode).toBe(401);
    const asHolder = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie }, payload: scanBody('HCQ1:ABC') });
    // authenticated, but a holder is not allowed here
    expect(asHolder.statusCode).toBe(403);
    expect(asHolder.json().error.code).toBe('forbidden');
  });

  it('the operator sees their account and venues', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/staff/me', headers: { cookie: staff } });
    expect(res.json().staff).toMatchObject({ username: 'checkpoint1', role: 'checkpoint_operator', venues: [{ id: VENUE_ID, kind: 'mall' }] });
  });
});
