// End-to-end: the public transparency page, with no log-in: the rules in force and their changelog,
// statistics (holders by colour now, overrides, appeals, alarms), venue compliance in aggregate
// (venues flagged, notices issued / acknowledged / overdue), the audit-log head (the same hash the API
// publishes), the public keys, and current and past risk areas; in English and Chinese.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHolder, startTestApp, VENUE_ID } from '../support/app.ts';
import { staffMember } from '../support/staff.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('public transparency page (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    const now = Date.now();
    // one current and one past risk area, written as an official's declaration would be
    await app.deps.store.db
      .insertInto('risk_areas')
      .values([
        { id: 'ra-now', region: 'CN-LX-01', level: 'high', starts_at: now - 2 * 86_400_000, ends_at: null, reason: 'Cluster at a market', created_at: now, venue_ids: null, renewed_at: null, lifted_reason: null, declared_by: 'staff-official' },
        {
          id: 'ra-past',
          region: 'CN-LX-02',
          level: 'medium',
          starts_at: now - 20 * 86_400_000,
          ends_at: now - 12 * 86_400_000,
          reason: 'Two cases at a school',
          created_at: now,
          venue_ids: null,
          renewed_at: null,
          lifted_reason: '5 days without a new case',
          declared_by: 'staff-official',
        },
      ])
      .execute();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('shows the rules and changelog, statistics, the audit head, keys and risk areas without a log-in', async () => {
    app.clock.set(new Date());
    // holders: two green, one yellow (declared a fever)
    const holders = [await registerHolder(app.app), await registerHolder(app.app), await registerHolder(app.app)];
    const declared = await app.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: holders[0]!.cookie }, payload: { symptoms: ['fever'], placesVisited: [] } });
    expect(declared.json().assessment.colour).toBe('yellow');
    // venue compliance through the officials' and the venue manager's own routes: Wanbo Plaza declares
    // 100 visitors a day and scanned nobody today (flagged); three notices: one acknowledged, one
    // overdue, one open
    const official = await staffMember(app, 'official');
    const manager = await staffMember(app, 'venue_manager');
    const as = (who: { cookie: string }, url: string, payload: unknown) => app.app.inject({ method: 'POST', url, headers: { cookie: who.cookie }, payload: payload as object });
    expect((await as(official, `/api/official/venues/${VENUE_ID}/footfall`, { declaredDaily: 100 })).statusCode).toBe(204);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: app.deps.config.defaultTimeZone }).format(app.clock.now());
    const run = await as(official, '/api/official/compliance/run', { day: today });
    expect(run.json().flagged[today]).toContain(VENUE_ID);
    const hour = 3_600_000;
    const notice = (text: string, inMs: number) => as(official, `/api/official/venues/${VENUE_ID}/compliance-notices`, { text, deadline: new Date(app.clock.now().getTime() + inMs).toISOString() }).then((r) => r.json());
    const n1 = await notice('Scan every visitor at every entrance.', 48 * hour);
    await notice('Staff the north gate scanner.', hour);
    await notice('Put the poster up at the car park entrance.', 72 * hour);
    expect((await as(manager, `/api/venue/compliance-notices/${n1.id}/acknowledge`, {})).statusCode).toBe(200);
    app.clock.advance(2 * hour); // the second notice's deadline passes
    const api = async (p: string) => (await fetch(`${app.url}${p}`)).json();
    const [rules, transparency, trust, compliance] = await Promise.all([
      api('/api/public/rules'),
      api('/api/public/transparency'),
      api('/api/public/trust-list'),
      api('/api/public/compliance'),
    ]);
    expect(transparency.holders).toEqual({ total: 3, byColour: { green: 2, yellow: 1, red: 0, grey: 0 } });
    expect(compliance).toMatchObject({ day: today, flaggedVenues: 1, notices: { issued: 3, acknowledged: 1, overdue: 1 } });

    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    await page.goto(`${app.url}/transparency/`);
    await page.getByRole('heading', { name: 'Health code transparency' }).waitFor();

    await page.getByTestId('rules-version').waitFor();
    expect(await page.getByTestId('rules-version').innerText()).toContain(`Version ${rules.version}`);
    const ruleRows = page.getByTestId('rule-list').locator('li');
    expect(await ruleRows.count()).toBe((rules.document.rules as unknown[]).length);
    expect(await page.getByTestId('rules').innerText()).toContain('confirmed-case');
    expect(await page.getByTestId('history').locator('li[data-state="in_force"]').count()).toBe(1);

    await page.getByTestId('override-stats').waitFor();
    expect(await page.getByTestId('override-stats').innerText()).toContain('Total');
    expect(await page.getByTestId('appeal-stats').innerText()).toContain('Open past the deadline');
    expect(await page.getByTestId('audit-head').innerText()).toBe(transparency.auditLog.head.hash);

    // holders by colour: the API's numbers, each with its colour word
    const tiles = page.getByTestId('holder-colours');
    for (const c of ['green', 'yellow', 'red', 'grey']) {
      await expect(tiles.locator(`[data-colour="${c}"]`).getAttribute('data-count')).resolves.toBe(String(transparency.holders.byColour[c]));
    }
    expect(await tiles.locator('[data-colour="green"]').innerText()).toMatch(/GREEN\s+2\s+66\.7%/);
    expect(await tiles.locator('[data-colour="yellow"]').innerText()).toMatch(/YELLOW\s+1\s+33\.3%/);
    expect(await page.getByTestId('stats').innerText()).toContain('3 registered holders');

    // venue compliance in aggregate: the API's numbers, no venue named
    const comp = page.getByTestId('compliance');
    await comp.getByTestId('notices-issued').waitFor();
    const stat = async (id: string) => Number((await comp.getByTestId(id).locator('dd').innerText()).trim());
    expect(await stat('venues-counted')).toBe(compliance.venuesCounted);
    expect(await stat('flagged-venues')).toBe(1);
    expect(await stat('missed-case-visits')).toBe(compliance.missedCaseVisits);
    expect(await stat('notices-issued')).toBe(3);
    expect(await stat('notices-acknowledged')).toBe(1);
    expect(await stat('notices-overdue')).toBe(1);
    expect(await stat('notices-open')).toBe(1);
    expect(await comp.getByTestId('compliance-day').innerText()).toBe(`Latest day checked: ${today}`);
    expect(await comp.innerText()).not.toContain('Wanbo');
    await comp.screenshot({ path: path.join(SHOTS, '64-transparency-compliance.png') });
    await page.getByTestId('stats').screenshot({ path: path.join(SHOTS, '66-transparency-stats-en.png') });

    const keys = page.getByTestId('keys');
    await keys.locator(`li[data-kid="${trust.trustList.keys[0].kid}"]`).waitFor();
    await page.getByTestId('revocation-count').waitFor();
    expect(await page.getByTestId('revocation-count').innerText()).toBe('Codes revoked and not yet expired: 0');

    const risk = page.getByTestId('risk');
    await risk.locator('li[data-active="true"]').waitFor();
    expect(await risk.locator('li[data-active="true"]').innerText()).toContain('High risk');
    expect(await risk.locator('li[data-active="true"]').innerText()).toContain('Cluster at a market');
    expect(await risk.locator('li[data-active="false"]').innerText()).toContain('Lifted: 5 days without a new case');
    await shot(page, '60-transparency-top');
    await shot(page, '61-transparency-full', true);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '健康码公开信息' }).waitFor();
    expect(await page.getByTestId('rules-version').innerText()).toContain(`版本 ${rules.version}`);
    expect(await risk.locator('li[data-active="true"]').innerText()).toContain('高风险');
    expect(await tiles.locator('[data-colour="yellow"]').innerText()).toContain('黄码');
    expect(await page.getByTestId('stats').innerText()).toContain('已登记持码人 3 人');
    expect(await comp.innerText()).toContain('已超期未确认');
    await shot(page, '62-transparency-zh');
    await page.getByTestId('stats').screenshot({ path: path.join(SHOTS, '65-transparency-stats-zh.png') });

    // wide screen
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, '63-transparency-desktop');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
