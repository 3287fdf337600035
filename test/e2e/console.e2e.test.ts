// End-to-end: the authority console (dist/web/console) against the real server in Debian's
// Chromium. An official logs in with the authenticator code, sees the dashboard charts (the
// numbers match the API), states a reason, opens a case and its contact graph, sees the map with
// the venues and a risk area, verifies a pending lab result; an auditor opens the audit log.
import crypto from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Encode, totp } from '../../src/core/auth/totp.ts';
import { hashPassword } from '../../src/features/auth/passwords.ts';
import { createSession } from '../../src/features/auth/sessions.ts';
import { demoVenues } from '../../src/features/demo/city.ts';
import { insertStaff } from '../../src/features/staff/repository.ts';
import { OTHER_VENUE_ID, registerHolder, startTestApp, VENUE_ID } from '../support/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

const PASSWORD = 'console-password-1';
const REASON = 'Weekly outbreak review, Old Town cluster';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('authority console (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const pageErrors: string[] = [];
  const secret = base32Encode(crypto.randomBytes(20));
  let officialCookie = '';
  let caseId = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    const db = app.deps.store.db;
    const now = Date.now();
    await db
      .insertInto('venues')
      .values(demoVenues().map((v) => ({ ...v, created_at: now })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const hash = await hashPassword(PASSWORD);
    await insertStaff(db, { id: 'staff-official-e2e', username: 'official-e2e', display_name: 'Official Li', role: 'official', password_hash: hash, created_at: now, totp_secret: secret }, []);
    await insertStaff(db, { id: 'staff-auditor-e2e', username: 'auditor-e2e', display_name: 'Auditor Wang', role: 'auditor', password_hash: hash, created_at: now }, []);
    // the data: three people at Wanbo Plaza together two hours ago, one of them tests positive
    const s = await createSession(db, 'staff', 'staff-official-e2e', app.clock.now(), 12, app.deps.random);
    officialCookie = `hc_staff=${s.token}`;
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await registerHolder(app.app));
    for (const p of people) {
      const at = now - 2 * 3_600_000;
      await db
        .insertInto('scans')
        .values({ event_id: crypto.randomUUID(), venue_id: VENUE_ID, operator_id: 'staff-op-1', holder_id: p.holder.id, code_id: null, scanned_at: at, received_at: at, mode: 'camera', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null, verdict_colour: 'green', verdict: '{}', fingerprint: crypto.randomUUID() })
        .execute();
    }
    // one of them was at RT-Mart earlier, where the case says (in the interview) they were too, unscanned
    const earlier = now - 4.5 * 3_600_000;
    await db
      .insertInto('scans')
      .values({ event_id: crypto.randomUUID(), venue_id: OTHER_VENUE_ID, operator_id: 'staff-op-1', holder_id: people[1]!.holder.id, code_id: null, scanned_at: earlier, received_at: earlier, mode: 'camera', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null, verdict_colour: 'green', verdict: '{}', fingerprint: crypto.randomUUID() })
      .execute();
    const inject = (url: string, payload: unknown, cookie = officialCookie) =>
      app.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    const lab = await inject('/api/official/lab-results', { idNumber: people[0]!.body.idNumber, kind: 'pcr', result: 'positive', sampledAt: new Date(now - 3_600_000).toISOString(), lab: 'Lanxi CDC lab' });
    expect(lab.statusCode, lab.body).toBe(201);
    caseId = lab.json().casesConfirmed[0];
    const area = await inject('/api/official/risk-areas', { region: 'CN-LX-01', level: 'high', startsAt: new Date(now - 3_600_000).toISOString(), reason: 'cluster at Wanbo Plaza' });
    expect(area.statusCode, area.body).toBe(201);
    // a result a holder uploaded, waiting for an official
    const up = await inject('/api/holder/lab-results', { kind: 'antigen', result: 'negative', sampledAt: new Date(now - 600_000).toISOString(), lab: 'home test' }, people[1]!.cookie);
    expect(up.statusCode, up.body).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    return page;
  }

  it('an official logs in with the code, sees the charts, a case graph, the map, and verifies a lab result', async () => {
    app.clock.set(new Date());
    const page = await newPage();
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('Username').fill('official-e2e');
    await page.getByLabel('Password').fill(PASSWORD);
    // without the code: said in plain words
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'authenticator app' }).waitFor();
    await page.getByLabel('Authenticator code (6 digits)').fill(totp(secret, new Date()));
    await shot(page, 'console-01-login');
    await page.getByRole('button', { name: 'Log in' }).click();

    // dashboard: three canvases, and the numbers in the tables are the API's
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    for (const id of ['chart-colours', 'chart-scans', 'chart-cases']) await page.getByTestId(id).locator('canvas').first().waitFor();
    const api = await page.evaluate(async () => (await fetch('/api/console/dashboard?days=14')).json());
    expect(api.current.red).toBe(3);
    const today = api.days[api.days.length - 1];
    const cells = async (table: string) => page.getByTestId(table).locator(`tr[data-day="${today}"] td`).allTextContents();
    expect(await cells('table-colours')).toEqual(['green', 'yellow', 'red', 'grey'].map((c) => String(api.colours[c][13])));
    expect(await cells('table-scans')).toEqual([api.scans.passes[13], api.scans.stops[13], api.scans.invalid[13], api.scans.total[13]].map(String));
    expect(await cells('table-cases')).toEqual([String(api.cases.byOnset[13]), String(api.cases.confirmed[13])]);
    expect(api.cases.confirmed[13]).toBe(1);
    expect(await page.getByTestId('now-counts').innerText()).toContain('Holders now: 3');
    await shot(page, 'console-02-dashboard', true);

    // the reason for access, then the case and its graph
    await page.getByRole('link', { name: 'Cases and tracing' }).click();
    await page.getByText('State a reason for access').waitFor();
    await page.getByLabel('Reason for access').fill(REASON);
    await page.getByRole('button', { name: 'Use this reason' }).click();
    await page.getByTestId('cases-table').waitFor();
    await page.getByRole('link', { name: caseId.slice(0, 8) }).click();
    const graph = page.getByTestId('contact-graph');
    await graph.locator('canvas').first().waitFor();
    await expect(graph.getAttribute('data-nodes')).resolves.toBe('4'); // the case, the place, two close contacts
    expect(await page.getByTestId('contacts-table').locator('tbody tr').count()).toBe(2);
    await page.waitForTimeout(300);
    await shot(page, 'console-03-case-graph', true);

    // the map: every venue, the risk area named
    await page.getByRole('link', { name: 'Map' }).click();
    const map = page.getByTestId('map');
    await map.waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'console-04-map', true);
    await map.locator('path.venue-marker').first().waitFor();
    const venues = await page.evaluate(async () => (await fetch('/api/console/map')).json());
    expect(await map.locator('path.venue-marker').count()).toBe(venues.venues.length);
    expect(await map.locator('path.venue-marker.risk').count()).toBe(venues.venues.filter((v: { region: string }) => v.region === 'CN-LX-01').length);
    await expect(map.locator('.district-label.risk').innerText()).resolves.toContain('HIGH RISK');
    await shot(page, 'console-04-map', true);

    // the lab-result queue: verify the pending upload
    await page.getByRole('link', { name: 'Lab results' }).click();
    const rows = page.getByTestId('lab-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await shot(page, 'console-05-lab-queue');
    await rows.first().getByRole('button', { name: /^Verify/ }).click();
    await page.getByRole('status').filter({ hasText: 'is now verified' }).waitFor();
    await page.getByText('Nothing here.').waitFor();
    const review = await app.deps.store.db.selectFrom('lab_results').select('review').where('source', '=', 'holder').executeTakeFirstOrThrow();
    expect(review.review).toBe('verified');

    // Chinese
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('link', { name: '总览' }).click();
    await page.getByTestId('chart-colours').locator('canvas').first().waitFor();
    await shot(page, 'console-06-dashboard-zh');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.context().close();
  });

  it('an auditor sees the audit log with the official’s reads and their reason', async () => {
    const page = await newPage();
    await page.goto(`${app.url}/console/`);
    await page.getByLabel('Username').fill('auditor-e2e');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    await page.getByLabel('Action (starts with)').fill('console.case_graph');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => { const rows = await table.locator('tbody tr').allInnerTexts(); return rows.length > 0 && rows.every((r) => r.includes('console.case_graph.read')); }).toBe(true);
    expect(await table.locator('tbody tr').count()).toBe(3); // the case and two contacts
    expect(await table.locator('tbody tr').first().innerText()).toContain(REASON);
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByRole('status').filter({ hasText: 'The chain is intact' }).waitFor();
    await shot(page, 'console-07-audit', true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('an official records the route from the interview: the unscanned visit flags the venue and the case is traced again', async () => {
    const page = await newPage();
    await page.context().addCookies([{ name: 'hc_staff', value: officialCookie.split('=')[1]!, url: app.url }]);
    await page.goto(`${app.url}/console/#/cases`);
    await page.getByLabel('Reason for access').fill(REASON);
    await page.getByRole('button', { name: 'Use this reason' }).click();
    await page.getByRole('link', { name: caseId.slice(0, 8) }).click();
    const graph = page.getByTestId('contact-graph');
    await graph.locator('canvas').first().waitFor();
    await expect(graph.getAttribute('data-nodes')).resolves.toBe('4');
    const form = page.getByTestId('interview-route');
    // nothing chosen: said in words, nothing sent
    await form.getByRole('button', { name: 'Record the route and trace again' }).click();
    await form.getByRole('alert').filter({ hasText: 'Visit 1: choose the venue.' }).waitFor();
    expect(await app.deps.store.db.selectFrom('case_route_visits').select('id').execute()).toHaveLength(0);
    // RT-Mart, from five to four hours ago (the browser's zone is Asia/Shanghai, UTC+8)
    const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    const now = Date.now();
    await form.getByLabel('Venue').selectOption({ label: 'RT-Mart Old Town' });
    await form.getByLabel('Arrived').fill(local(now - 5 * 3_600_000));
    await form.getByLabel('Left').fill(local(now - 6 * 3_600_000));
    await form.getByRole('button', { name: 'Record the route and trace again' }).click();
    await form.getByRole('alert').filter({ hasText: 'Visit 1: the time they left is before the time they arrived.' }).waitFor();
    await form.getByLabel('Left').fill(local(now - 4 * 3_600_000));
    await shot(page, 'console-08-interview-route', true);
    await form.getByRole('button', { name: 'Record the route and trace again' }).click();
    const result = page.getByTestId('route-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('Route recorded: 1 visit(s); 1 venue(s) flagged for not scanning. The case was traced again.');
    expect(await result.innerText()).toContain('RT-Mart Old Town');
    expect(await result.innerText()).toContain('no scan of the person — the venue is flagged');
    // traced again: the reported place joins the graph, and the contact met there lists it
    await expect.poll(() => graph.getAttribute('data-nodes')).toBe('5');
    await expect.poll(async () => (await page.getByTestId('contacts-table').locator('tbody tr').allInnerTexts()).join('\n')).toContain('RT-Mart Old Town');
    const flags = await app.deps.store.db.selectFrom('venue_flags').select(['venue_id', 'kind', 'case_id']).where('kind', '=', 'missed_case_visit').execute();
    expect(flags).toEqual([{ venue_id: OTHER_VENUE_ID, kind: 'missed_case_visit', case_id: caseId }]);
    await page.waitForTimeout(300);
    await shot(page, 'console-09-interview-traced', true);
    await page.getByRole('button', { name: '中文' }).click();
    await form.getByRole('heading', { name: '流调行程' }).waitFor();
    await shot(page, 'console-10-interview-zh', true);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
