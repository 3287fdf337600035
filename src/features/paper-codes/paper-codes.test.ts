import crypto from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { decodeHealthCode } from '../../core/token/index.ts';
import { readQrPng } from '../../core/token/testing/qr.ts';
import { verifyRevocationListJws, verifyTrustListJws } from '../../../web/shared/offline-verify.ts';

const DAY = 86_400_000;

describe.each(DIALECTS)('paper codes and the revocation list on %s', (dialect) => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    operator = await loginOperator(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  const verify = async (code: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/checkpoint/verify', headers: { cookie: operator }, payload: { code } })).json();
  const scan = async (code: string, mode: 'camera' | 'offline_sync', at = t.clock.now()) =>
    t.app.inject({
      method: 'POST',
      url: '/api/checkpoint/scans',
      headers: { cookie: operator },
      payload: { eventId: crypto.randomUUID(), venueId: VENUE_ID, code, scannedAt: at.toISOString(), mode },
    });

  it('prints (PNG and PDF), scans with low assurance and the current colour online, the token colour offline, and a reprint revokes the previous code', async () => {
    const h = await registerHolder(t.app, { name: 'Li Xiao Long' });
    const issued = await t.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: h.cookie } });
    expect(issued.statusCode).toBe(201);
    const first = issued.json();
    expect(first.maskedName).toBe('L** X** Long');
    expect(first.revoked).toBeNull();
    expect(Date.parse(first.expiresAt) - Date.parse(first.issuedAt)).toBe(7 * DAY);
    const claims = decodeHealthCode(first.token, t.deps.keys.trust, t.clock.now());
    expect(claims).toMatchObject({ kind: 'paper', colour: 'green', maskedName: 'L** X** Long', birthYear: 1990, codeId: first.codeId });

    // PNG: a large QR code that reads back as the token
    const png = await t.app.inject({ method: 'GET', url: `/api/holder/paper-codes/${first.codeId}/print.png`, headers: { cookie: h.cookie } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(readQrPng(png.rawPayload)).toBe(first.token);
    // PDF: one A4 page carrying the QR image
    const pdf = await t.app.inject({ method: 'GET', url: `/api/holder/paper-codes/${first.codeId}/print.pdf`, headers: { cookie: h.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf.rawPayload);
    expect(doc.getPageCount()).toBe(1);
    expect(Math.round(doc.getPage(0).getWidth())).toBe(595);
    // another holder cannot print it
    const other = await registerHolder(t.app);
    expect((await t.app.inject({ method: 'GET', url: `/api/holder/paper-codes/${first.codeId}/print.png`, headers: { cookie: other.cookie } })).json().error.code).toBe('not_found');

    // online: low assurance, the current colour
    let v = await verify(first.token);
    expect(v).toMatchObject({ ok: true, pass: true, colour: 'green', kind: 'paper', assurance: 'low', colourSource: 'current', message: null });
    // the holder's colour changes after printing: online shows the current colour and says so
    t.clock.advance(60 * 60_000);
    const declared = await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: h.cookie }, payload: { symptoms: ['fever'], placesVisited: [] } });
    expect(declared.json().assessment.colour).toBe('yellow');
    v = await verify(first.token);
    expect(v).toMatchObject({ ok: true, pass: false, colour: 'yellow', colourSource: 'current', colourAsOf: t.clock.now().toISOString() });
    expect(v.message).toContain('changed since it was printed');
    const online = (await scan(first.token, 'camera')).json();
    expect(online.verdict).toMatchObject({ colour: 'yellow', pass: false, kind: 'paper' });
    // offline: the checkpoint saw the printed colour, with the warning
    const offline = (await scan(first.token, 'offline_sync', new Date(t.clock.now().getTime() - 60_000))).json();
    expect(offline.verdict).toMatchObject({ ok: true, colour: 'green', colourSource: 'token', assurance: 'low', colourAsOf: first.issuedAt });
    expect(offline.verdict.message).toBe(`paper code — colour as of ${first.issuedAt.slice(0, 16).replace('T', ' ')} UTC`);
    // a live code keeps standard assurance
    const live = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json();
    expect(await verify(live.token)).toMatchObject({ ok: true, kind: 'live', assurance: 'standard', colourSource: 'token', colour: 'yellow' });

    // reprint: the first code is revoked, with its reason
    t.clock.advance(60_000);
    const second = (await t.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: h.cookie } })).json();
    expect(second.revoked).toBe(first.codeId);
    v = await verify(first.token);
    expect(v).toMatchObject({ ok: false, pass: false, error: 'revoked', colour: null, kind: 'paper' });
    expect(v.message).toContain('reprinted');
    expect(v.revocation).toEqual({ at: t.clock.now().toISOString(), reason: 'reprinted' });
    const refused = (await scan(first.token, 'camera')).json();
    expect(refused.verdict.error).toBe('revoked');
    // an offline scan made before the reprint was fine then
    const before = (await scan(first.token, 'offline_sync', new Date(Date.parse(second.issuedAt) - 30_000))).json();
    expect(before.verdict).toMatchObject({ ok: true, error: null });
    expect(await verify(second.token)).toMatchObject({ ok: true, colour: 'yellow', colourSource: 'current' });
    // the revoked code cannot be printed again; the current one is what /current shows
    const again = await t.app.inject({ method: 'GET', url: `/api/holder/paper-codes/${first.codeId}/print.pdf`, headers: { cookie: h.cookie } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('revoked');
    expect((await t.app.inject({ method: 'GET', url: '/api/holder/paper-codes/current', headers: { cookie: h.cookie } })).json().paperCode.codeId).toBe(second.codeId);

    // the signed revocation list carries the revoked id, and verifies with the browser verifier
    const trust = (await t.app.inject({ method: 'GET', url: '/api/public/trust-list' })).json();
    const { trust: keys } = await verifyTrustListJws(trust.jws, t.clock.now());
    const list = (await t.app.inject({ method: 'GET', url: '/api/public/revocations' })).json();
    const verified = await verifyRevocationListJws(list.jws, keys);
    expect(verified.revoked).toContain(first.codeId);
    expect(verified.revoked).not.toContain(second.codeId);

    // expiry: after the configured 7 days the paper code is rejected as expired
    t.clock.advance(7 * DAY + 1000);
    v = await verify(second.token);
    expect(v).toMatchObject({ ok: false, error: 'expired' });
    // and an expired revocation leaves the list
    const later = (await t.app.inject({ method: 'GET', url: '/api/public/revocations' })).json();
    expect(later.revocationList.revoked).not.toContain(first.codeId);
  });

  it('validity is configurable', async () => {
    const u = await makeTestApp({ dialect, config: { paperCodeDays: 3 } });
    try {
      const h = await registerHolder(u.app);
      const code = (await u.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: h.cookie } })).json();
      expect(Date.parse(code.expiresAt) - Date.parse(code.issuedAt)).toBe(3 * DAY);
    } finally {
      await u.close();
    }
  });

  it('refuses bad input with stable codes and writes nothing', async () => {
    const h = await registerHolder(t.app);
    const bad = await t.app.inject({ method: 'GET', url: '/api/holder/paper-codes/NOT-HEX/print.png', headers: { cookie: h.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
    expect((await t.app.inject({ method: 'POST', url: '/api/holder/paper-codes' })).statusCode).toBe(401);
    const rows = await t.deps.store.db.selectFrom('paper_codes').select('code_id').where('holder_id', '=', h.holder.id).execute();
    expect(rows).toEqual([]);
  });
});
