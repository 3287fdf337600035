import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';

/** The value of one sample line of the Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe.each(DIALECTS)('/metrics on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts scans by outcome, verification failures by code, colours, latency and queue depths', async () => {
    const staff = await loginOperator(t.app);
    const h = await registerHolder(t.app);
    const token = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token;
    const body = (code: string) => ({ eventId: crypto.randomUUID(), venueId: VENUE_ID, code, scannedAt: t.clock.now().toISOString(), mode: 'camera' });
    const scan = (payload: object) => t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: staff }, payload });
    const green = body(token);
    await scan(green);
    await scan(green); // duplicate
    await scan(body('hello'));
    await scan(body('HCQ1:ABC'));
    await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans/batch', headers: { cookie: staff }, payload: { events: [body(token), { eventId: 'x' }] } });

    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const m = res.body;
    expect(sample(m, 'healthcode_scans_ingested_total', { status: 'stored' })).toBe(4);
    expect(sample(m, 'healthcode_scans_ingested_total', { status: 'duplicate' })).toBe(1);
    expect(sample(m, 'healthcode_scans_ingested_total', { status: 'rejected' })).toBe(1);
    expect(sample(m, 'healthcode_scan_verify_failures_total', { code: 'bad_prefix' })).toBe(1);
    expect(sample(m, 'healthcode_scans_by_colour_total', { colour: 'green' })).toBe(2);
    expect(sample(m, 'healthcode_http_request_duration_seconds_count', { method: 'POST', route: '/api/checkpoint/scans', status_code: '201' })).toBe(3);
    expect(sample(m, 'healthcode_http_request_duration_seconds_count', { method: 'POST', route: '/api/checkpoint/scans', status_code: '200' })).toBe(1);
    expect(sample(m, 'healthcode_scan_queue_depth')).toBe(0);
    expect(sample(m, 'healthcode_scan_commit_rows_count')).toBeGreaterThanOrEqual(4);
    expect(sample(m, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    if (dialect === 'postgres') expect(sample(m, 'healthcode_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  });
});
