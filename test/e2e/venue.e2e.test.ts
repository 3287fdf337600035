// End-to-end: a venue manager logs in (the shared staff log-in), registers a venue with its expected
// daily footfall, prints its poster (the QR code decodes to the venue's check-in URL), sees the daily
// scan counts and both expected footfalls (declared, learned from the venue's scans) and changes the
// declared one, and reads and acknowledges the compliance notices officials sent, in English and Chinese.
import { mkdirSync } from 'node:fs';
import crypto from 'node:crypto';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate, prevDate, startOfLocalDate } from '../../src/core/time/zones.ts';
import { readQrPng } from '../../src/core/token/testing/qr.ts';
import { hashPassword } from '../../src/features/auth/passwords.ts';
import { insertStaff } from '../../src/features/staff/repository.ts';
import { loginOperator, registerHolder, startTestApp, VENUE_ID } from '../support/app.ts';
import { staffMember } from '../support/staff.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('venue manager (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    await insertStaff(
      app.deps.store.db,
      { id: 'staff-venue-1', username: 'venue1', display_name: 'Venue manager, Wanbo Plaza', role: 'venue_manager', password_hash: await hashPassword('demo-password'), created_at: Date.now() },
      [VENUE_ID],
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('registers a venue, prints its poster with the QR code and name, sees the counts, and acknowledges notices', async () => {
    app.clock.set(new Date());
    // two notices from an official: one issued 3 h ago and due 1 h later (overdue now), one due in 2 days
    const official = await staffMember(app, 'official');
    const issue = async (text: string, issuedAt: number, deadline: number) => {
      app.clock.set(new Date(issuedAt));
      const r = await app.app.inject({
        method: 'POST',
        url: `/api/official/venues/${VENUE_ID}/compliance-notices`,
        headers: { cookie: official.cookie },
        payload: { text, deadline: new Date(deadline).toISOString() },
      });
      expect(r.statusCode).toBe(201);
      return r.json() as { id: string };
    };
    const hour = 3_600_000;
    const overdue = await issue('Staff the north gate scanner during opening hours.', Date.now() - 3 * hour, Date.now() - 2 * hour);
    const open = await issue('Scan every visitor at every entrance, including the car park.', Date.now(), Date.now() + 48 * hour);
    app.clock.set(new Date());
    // three scans at Wanbo Plaza today: one valid green, two invalid
    const h = await registerHolder(app.app);
    const token = (await app.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token as string;
    const op = await loginOperator(app.app);
    for (const code of [token, 'not a code', 'HCQ1:XYZ']) {
      const r = await app.app.inject({
        method: 'POST',
        url: '/api/checkpoint/scans',
        headers: { cookie: op },
        payload: { eventId: crypto.randomUUID(), venueId: VENUE_ID, code, scannedAt: new Date().toISOString(), mode: 'manual' },
      });
      expect(r.statusCode).toBe(201);
    }
    // footfall history at Wanbo Plaza: 30 and 40 scans on today's weekday three and two weeks ago,
    // none a week ago (that day is flagged, so it teaches nothing); the daily job computes the days
    const zone = app.deps.config.defaultTimeZone;
    const weeksAgo = (n: number) => {
      let d = localDate(app.clock.now(), zone);
      for (let i = 0; i < 7 * n; i++) d = prevDate(d);
      return d;
    };
    const pastScans = (day: string, n: number) =>
      Array.from({ length: n }, (_, k) => {
        const at = startOfLocalDate(day, zone).getTime() + 12 * hour + k * 60_000;
        const id = crypto.randomUUID();
        return { event_id: id, venue_id: VENUE_ID, operator_id: 'staff-op-1', holder_id: null, code_id: null, scanned_at: at, received_at: at, mode: 'camera', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null, verdict_colour: 'green', verdict: '{}', fingerprint: id };
      });
    const history = [...pastScans(weeksAgo(3), 30), ...pastScans(weeksAgo(2), 40)];
    // Wanbo Plaza has been registered for five weeks (the job counts a venue from the day it was registered)
    await app.deps.store.db.updateTable('venues').set({ created_at: startOfLocalDate(weeksAgo(5), zone).getTime() }).where('id', '=', VENUE_ID).execute();
    await app.deps.store.db.insertInto('scans').values(history).execute();
    await app.deps.store.db.insertInto('scan_event_ids').values(history.map((r) => ({ event_id: r.event_id, scanned_at: r.scanned_at }))).execute();
    for (const payload of [{ day: weeksAgo(3) }, { day: weeksAgo(2) }, {}]) {
      const r = await app.app.inject({ method: 'POST', url: '/api/official/compliance/run', headers: { cookie: official.cookie }, payload });
      expect(r.statusCode, r.body).toBe(200);
    }
    const weekdayIn = (locale: string) => new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: zone }).format(app.clock.now());

    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    await page.goto(`${app.url}/venue/`);
    await page.getByLabel('Username').fill('venue1');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Log in' }).click();

    const wanbo = page.locator(`article[data-venue-id="${VENUE_ID}"]`);
    await wanbo.getByTestId('counts-summary').waitFor();
    expect(await wanbo.getByTestId('counts-summary').innerText()).toBe('3 scans in 14 days · today 3');
    await wanbo.locator('summary').click();
    const today = wanbo.getByTestId('counts-table').locator('tbody tr').first();
    expect((await today.locator('td').allInnerTexts()).map(Number)).toEqual([3, 1, 0, 2]);
    await shot(page, '50-venue-list', true);

    // expected visitors per day: nothing declared yet; learned from the two same weekdays with scans (median of 30 and 40)
    const footfall = wanbo.getByTestId('footfall');
    expect(await footfall.getByTestId('footfall-declared').innerText()).toBe('not declared yet');
    expect(await footfall.getByTestId('footfall-learned').innerText()).toBe(`35 (median of the last 2 ${weekdayIn('en-GB')}s)`);
    // the manager declares a number: a bad one is answered in plain words and not stored
    const change = footfall.getByRole('textbox', { name: 'Change the declared number' });
    await change.fill('-3');
    await footfall.getByRole('button', { name: 'Save' }).click();
    expect(await footfall.getByRole('alert').innerText()).toBe('Expected visitors per day must be a whole number from 0 to 10,000,000, for example 250.');
    expect(await change.getAttribute('aria-invalid')).toBe('true');
    const declaredRow = () => app.deps.store.db.selectFrom('venue_footfall').selectAll().where('venue_id', '=', VENUE_ID).executeTakeFirst();
    expect(await declaredRow()).toBeUndefined();
    await change.fill('300');
    await footfall.getByRole('button', { name: 'Save' }).click();
    await footfall.getByRole('status').filter({ hasText: 'Saved: 300 visitors per day declared.' }).waitFor();
    await expect.poll(() => footfall.getByTestId('footfall-declared').innerText()).toBe('300');
    expect(await footfall.getByRole('alert').count()).toBe(0);
    expect(await declaredRow()).toMatchObject({ declared_by: 'staff-venue-1' });
    expect(Number((await declaredRow())!.declared_daily)).toBe(300);
    expect(await footfall.getByTestId('footfall-learned').innerText()).toBe(`35 (median of the last 2 ${weekdayIn('en-GB')}s)`);
    await wanbo.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, '58-venue-footfall');

    // compliance notices: the overdue one first, each in words (not colour alone); acknowledge the open one
    const notices = page.getByTestId('notices');
    await notices.locator(`li[data-notice-id="${open.id}"]`).waitFor();
    expect(await notices.getByTestId('notices-waiting').innerText()).toBe('2 notice(s) waiting for your acknowledgement.');
    const items = notices.locator('li.compliance-notice');
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['overdue', 'open']);
    const openItem = notices.locator(`li[data-notice-id="${open.id}"]`);
    expect(await openItem.innerText()).toContain('Scan every visitor at every entrance, including the car park.');
    expect(await openItem.innerText()).toMatch(/Open\s+Wanbo Plaza/);
    expect(await notices.locator(`li[data-notice-id="${overdue.id}"]`).innerText()).toContain('Overdue');
    await notices.scrollIntoViewIfNeeded();
    await shot(page, '55-venue-notices');
    await openItem.getByRole('button', { name: 'Acknowledge the notice to Wanbo Plaza' }).click();
    await notices.getByRole('status').filter({ hasText: 'Notice to Wanbo Plaza acknowledged.' }).waitFor();
    await expect.poll(() => openItem.getAttribute('data-status')).toBe('acknowledged');
    expect(await openItem.innerText()).toContain('acknowledged');
    expect(await openItem.getByRole('button').count()).toBe(0);
    const stored = await app.deps.store.db.selectFrom('compliance_notices').select(['id', 'acknowledged_by', 'acknowledged_at']).orderBy('issued_at').execute();
    expect(stored.map((n) => [n.id, n.acknowledged_by !== null])).toEqual([
      [overdue.id, false],
      [open.id, true],
    ]);
    expect(stored[1]!.acknowledged_by).toBe('staff-venue-1');
    // the overdue one can still be acknowledged (late): with the keyboard
    await notices.locator(`li[data-notice-id="${overdue.id}"]`).getByRole('button', { name: 'Acknowledge the notice to Wanbo Plaza' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => notices.locator(`li[data-notice-id="${overdue.id}"]`).getAttribute('data-status')).toBe('acknowledged');
    await notices.getByTestId('notices-waiting').waitFor({ state: 'detached' });
    await shot(page, '56-venue-notices-acknowledged');

    // register a new venue with its expected visitors per day (a bad number first: said in plain words, nothing registered)
    await page.getByLabel('Venue name').fill('Lanxi Noodle House');
    await page.getByLabel('Kind of venue').selectOption('restaurant');
    const region = page.getByLabel('District');
    await region.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    await region.selectOption({ index: 1 });
    await page.getByLabel('Address').fill('8 River Street');
    const expected = page.getByRole('textbox', { name: 'Expected visitors per day', exact: true });
    await expected.fill('about 250');
    await page.getByRole('button', { name: 'Register venue' }).click();
    const registerForm = page.locator('form[aria-labelledby="register-title"]');
    expect(await registerForm.getByRole('alert').innerText()).toBe('Expected visitors per day must be a whole number from 0 to 10,000,000, for example 250.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('declaredDaily');
    expect(await app.deps.store.db.selectFrom('venues').select('id').where('name', '=', 'Lanxi Noodle House').execute()).toEqual([]);
    await registerForm.scrollIntoViewIfNeeded();
    await shot(page, '59-venue-register-footfall-error');
    await expected.fill('250');
    await page.getByRole('button', { name: 'Register venue' }).click();
    await page.getByRole('status').filter({ hasText: 'Lanxi Noodle House' }).waitFor();
    const noodle = page.locator('article.venue-card', { hasText: 'Lanxi Noodle House' });
    await noodle.getByTestId('counts-summary').waitFor();
    expect(await noodle.getByTestId('counts-summary').innerText()).toBe('0 scans in 14 days · today 0');
    expect(await expected.inputValue()).toBe('');
    const venueId = await noodle.getAttribute('data-venue-id');
    expect(venueId).toMatch(/^V-/);
    // both numbers on its page: the declared 250, and no history to learn from yet
    expect(await noodle.getByTestId('footfall-declared').innerText()).toBe('250');
    expect(await noodle.getByTestId('footfall-learned').innerText()).toBe(`not enough history yet (it needs scans on at least two ${weekdayIn('en-GB')}s)`);
    const declared = await app.deps.store.db.selectFrom('venue_footfall').selectAll().where('venue_id', '=', venueId!).executeTakeFirstOrThrow();
    expect([Number(declared.declared_daily), declared.declared_by]).toEqual([250, 'staff-venue-1']);
    const row = await app.deps.store.db.selectFrom('venues').selectAll().where('id', '=', venueId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Lanxi Noodle House', kind: 'restaurant', address: '8 River Street' });
    await shot(page, '51-venue-registered', true);

    // the poster: name and a QR code that decodes to the check-in URL
    await noodle.getByRole('button', { name: 'Print poster' }).click();
    const poster = page.getByTestId('poster');
    await poster.waitFor();
    expect(await poster.locator('.poster-name').innerText()).toBe('Lanxi Noodle House');
    const img = poster.locator('img.poster-qr');
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(readQrPng(await img.screenshot())).toBe(`${app.url}/?checkin=${venueId}`);
    await shot(page, '52-venue-poster', true);
    await page.emulateMedia({ media: 'print' });
    await shot(page, '53-venue-poster-print', true);
    expect(await page.locator('.poster-actions').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // Chinese
    await page.getByRole('button', { name: 'Back to my venues' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await wanbo.getByTestId('counts-summary').waitFor();
    expect(await wanbo.getByTestId('counts-summary').innerText()).toBe('14 天共 3 次扫码 · 今天 3 次');
    await page.getByRole('heading', { name: '我的场所' }).waitFor();
    expect(await notices.locator(`li[data-notice-id="${open.id}"]`).innerText()).toContain('已确认');
    await shot(page, '54-venue-zh');
    // both numbers in Chinese
    expect(await footfall.getByTestId('footfall-declared').innerText()).toBe('300');
    expect(await footfall.getByTestId('footfall-learned').innerText()).toBe(`35（近 2 个${weekdayIn('zh-CN')}的中位数）`);
    expect(await noodle.getByTestId('footfall-learned').innerText()).toBe(`记录尚不足（需要至少两个${weekdayIn('zh-CN')}的扫码记录）`);
    await footfall.getByRole('textbox', { name: '修改申报人数' }).fill('很多');
    await footfall.getByRole('button', { name: '保存' }).click();
    expect(await footfall.getByRole('alert').innerText()).toBe('每日预计客流须为 0 到 10,000,000 之间的整数，例如 250。');
    await wanbo.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await shot(page, '60-venue-footfall-zh');
    await page.getByRole('textbox', { name: '每日预计客流（人）' }).scrollIntoViewIfNeeded();
    await shot(page, '61-venue-register-zh');
    await notices.scrollIntoViewIfNeeded();
    await shot(page, '57-venue-notices-zh');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
