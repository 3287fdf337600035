import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTrustList, createTrustStore, trustedKeyFor, decodeHealthCode, trustStoreFromList } from './core/token/index.ts';
import { DIALECTS } from '../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../test/support/app.ts';

describe.each(DIALECTS)('the app on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  it('/healthz and /readyz answer', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves OpenAPI at /docs/json and the UI at /docs', async () => {
    const spec = (await t.app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/holder/register', '/api/checkpoint/scans', '/api/public/trust-list']));
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with a typed 404', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing-here' } });
  });

  it('an unsupported content type is 415 with a typed error', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/holder/login', headers: { 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('publishes a signed trust list with an expiry that verifies against the signing key', async () => {
    const res = await t.app.inject('/api/public/trust-list');
    expect(res.statusCode).toBe(200);
    const { jws, trustList } = res.json();
    expect(trustList.expiresAt).toBe('2026-11-25T08:00:00.000Z');
    expect(trustList.keys.map((k: { kid: string }) => k.kid)).toEqual([t.key.kid]);
    const doc = verifyTrustList(jws, createTrustStore([trustedKeyFor(t.key)]), t.clock.now());
    expect(doc).toEqual(trustList);
    // a checkpoint holding only the trust list verifies a live code offline
    const { cookie } = await registerHolder(t.app);
    const code = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie } })).json();
    expect(decodeHealthCode(code.token, trustStoreFromList(doc), t.clock.now()).colour).toBe('green');
  });

  it('lists the regions', async () => {
    const res = await t.app.inject('/api/public/regions');
    expect(res.json().regions[0]).toEqual({ code: 'CN-LX-01', name: 'Lanxi Old Town', nameZh: '兰溪老城' });
  });

  it('sends security headers and a request id', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('failures', () => {
  it('a 500 carries no internals', async () => {
    const t = await makeTestApp();
    t.app.get('/boom', { config: { roles: ['anonymous'] } }, async () => {
      throw new Error('secret detail: password=hunter2 at /srv/x.ts:12');
    });
    const res = await t.app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().error.code).toBe('internal_error');
    await t.close();
  });

  it.each(DIALECTS)('when the %s store is gone: readyz is 503 and requests get 503 with Retry-After, not a 500', async (dialect) => {
    const t = await makeTestApp({ dialect });
    const { cookie } = await registerHolder(t.app);
    await t.deps.store.close();
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    const res = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('store_unavailable');
    await t.app.close();
    await t.testStore.drop().catch(() => undefined);
  });
});
