// End-to-end, the colour lifecycle on the holder page: register (GREEN) → declare fever → YELLOW
// with the way back to green (two ways; the dates in the holder's zone; 0 of 7 check-ins) and a
// countdown → check in → 1 of 7 and "Checked in today" → the timeline shows registration → GREEN
// and declaration → YELLOW. Then a day passes on the server's clock only (the browser's clock is
// real): the page's "today" follows the server, so the button is back, and a check-in makes 2 of 7.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

const ZONE = 'Asia/Shanghai';

/** "Mon 30 Nov, 16:00" in the holder's zone, as the page should say it. */
function due(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: ZONE,
  }).format(new Date(iso));
}

describe.skipIf(!haveChromium && process.env.CI !== 'true')('holder colour lifecycle (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    // The server's clock is a manual one at real time; the browser's clock is real.
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: ZONE });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('register → declare → YELLOW with the way back to green → check in → timeline', async () => {
    app.clock.set(new Date());
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'New here? Register' }).click();
    await page.getByLabel('Full name').fill('Li Na');
    await page.getByLabel('ID document number').fill('110101198805051234');
    await page.getByLabel('Date of birth').fill('1988-05-05');
    await page.getByLabel('Phone number').fill('13900139000');
    const region = page.getByLabel('Home district');
    await region.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    await region.selectOption({ index: 1 });
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.locator('.code-card[data-colour="green"] img.qr').waitFor();

    // green: no reasons; the check-in is offered; the rules in force are linked
    await expect(page.getByTestId('reasons').innerText()).resolves.toContain('No risk facts are recorded for you.');
    await page.getByRole('button', { name: 'Check in for today' }).waitFor();
    const rules = page.getByTestId('rules-link').getByRole('link');
    await expect.poll(() => rules.innerText()).toMatch(/^Rules in force: \S+$/);
    await expect(rules.getAttribute('href')).resolves.toBe('/api/public/rules');
    const timeline = page.getByTestId('timeline');
    await timeline.locator('li.event[data-cause="registration"]').waitFor();
    await shot(page, '30-lifecycle-green', true);

    // declare fever → YELLOW
    await page.getByLabel('Fever').check();
    await page.getByRole('button', { name: 'Submit declaration' }).click();
    await page.locator('.code-card[data-colour="yellow"] img.qr').waitFor();
    const reason = page.getByTestId('reasons').locator('li.reason').first();
    await expect(reason.getAttribute('data-rule')).resolves.toBe('symptoms-declared');

    // the countdown: 7 days from the declaration
    const countdown = reason.getByTestId('reason-countdown');
    const until = (await countdown.getAttribute('data-until')) ?? '';
    expect(Date.parse(until)).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    await expect(countdown.innerText()).resolves.toMatch(/Green earliest in (7 days|6 days 23 h)/);
    await expect(countdown.innerText()).resolves.toContain(due(until));

    // the way back to green: two ways, the first with its due date, "0 of 7 check-ins", the second after results
    const way = reason.getByTestId('way-to-green');
    await expect(way.getByRole('heading', { name: 'The way back to green' }).count()).resolves.toBe(1);
    await expect(way.innerText()).resolves.toContain('Any one of these ways ends it:');
    const options = way.getByTestId('way-option');
    await expect(options.count()).resolves.toBe(2);
    const first = options.nth(0);
    await expect(first.locator('.option-due').innerText()).resolves.toBe(`possible from ${due(until)}`);
    const elapsed = first.locator('li.req[data-kind="elapsed"]');
    await expect(elapsed.getAttribute('data-done')).resolves.toBe('false');
    await expect(elapsed.locator('.req-due').innerText()).resolves.toBe(`from ${due(until)}`);
    await expect(elapsed.locator('.req-text').innerText()).resolves.toMatch(/^Not done yet:\s/);
    const checkIns = first.locator('li.req[data-kind="checkIns"]');
    await expect(checkIns.getByTestId('req-progress').innerText()).resolves.toBe('0 of 7 check-ins');
    const second = options.nth(1);
    await expect(second.locator('.option-due').innerText()).resolves.toBe('depends on test results');
    await expect(second.locator('li.req[data-kind="negativePcrs"] .req-due').innerText()).resolves.toBe('after results are in');
    await expect(second.getByTestId('req-progress').innerText()).resolves.toBe('0 of 2 negative tests');
    await reason.scrollIntoViewIfNeeded();
    await shot(page, '31-lifecycle-yellow-way');

    // check in (with a temperature) → 1 of 7, "Checked in today ✓"
    const checkIn = page.getByTestId('check-in');
    await checkIn.getByLabel('Temperature now, °C (optional)').fill('36.6');
    await checkIn.getByRole('button', { name: 'Check in for today' }).click();
    await expect(checkIn.getByRole('status').innerText()).resolves.toContain('Checked in today ✓');
    await expect(checkIn.getAttribute('data-checked-in')).resolves.toBe('true');
    expect(await checkIn.getByRole('button', { name: 'Check in for today' }).count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('reasons').locator('li.req[data-kind="checkIns"]').getByTestId('req-progress').innerText())
      .toBe('1 of 7 check-ins');
    await expect(page.locator('.code-card').getAttribute('data-colour')).resolves.toBe('yellow');

    // the timeline: newest first, declaration GREEN → YELLOW, registration → GREEN
    const events = timeline.locator('li.event');
    await expect.poll(() => events.count()).toBe(2);
    const declared = events.nth(0);
    await expect(declared.getAttribute('data-cause')).resolves.toBe('declaration');
    const declaredText = await declared.innerText();
    expect(declaredText).toMatch(/GREEN\s*→\s*.*YELLOW/s);
    expect(declaredText).toContain('Your health declaration');
    expect(declaredText).toContain('You declared fever');
    const registered = events.nth(1);
    await expect(registered.getAttribute('data-cause')).resolves.toBe('registration');
    const registeredText = await registered.innerText();
    expect(registeredText).toContain('Registration');
    expect(registeredText).toMatch(/Code issued:\s*.*GREEN/s);
    expect(registeredText).toContain('none: no risk facts');
    // the screen-reader wording says from/to in words
    await expect(declared.locator('.event-change').textContent()).resolves.toMatch(/from\s*.*GREEN.*to\s*.*YELLOW/s);
    await page.getByTestId('check-in').scrollIntoViewIfNeeded();
    await shot(page, '32-lifecycle-checked-in');
    await timeline.scrollIntoViewIfNeeded();
    await shot(page, '33-lifecycle-timeline');
    await shot(page, '34-lifecycle-full', true);
  });

  it('the same page in Chinese', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    const reason = page.getByTestId('reasons').locator('li.reason').first();
    await expect(reason.getByRole('heading', { name: '恢复绿码的方法' }).count()).resolves.toBe(1);
    await expect(reason.locator('li.req[data-kind="checkIns"]').getByTestId('req-progress').innerText()).resolves.toBe('已打卡 1/7 次');
    await expect(reason.getByTestId('reason-countdown').innerText()).resolves.toMatch(/最早 (7 天|6 天 23 小时) 后转绿码/);
    await expect(page.getByTestId('check-in').innerText()).resolves.toContain('今日已打卡 ✓');
    await expect(page.getByTestId('timeline').locator('li.event').nth(0).innerText()).resolves.toContain('您的健康申报');
    await reason.scrollIntoViewIfNeeded();
    await shot(page, '35-lifecycle-zh-way');
    await shot(page, '36-lifecycle-zh-full', true);
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('a day later by the server clock: check in again → 2 of 7', async () => {
    // only the server's clock moves; the page learns the server's time from the code it fetches
    app.clock.set(new Date(Date.now() + 86_400_000));
    await page.reload();
    // a session lasts 12 h: log in again
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('Phone number').fill('13900139000');
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.locator('.code-card[data-colour="yellow"][data-state="live"] img.qr').waitFor();
    const checkIn = page.getByTestId('check-in');
    const button = checkIn.getByRole('button', { name: 'Check in for today' });
    await button.waitFor();
    await expect(checkIn.getAttribute('data-checked-in')).resolves.toBe('false');
    const countdown = page.getByTestId('reasons').locator('li.reason').first().getByTestId('reason-countdown');
    await expect.poll(() => countdown.innerText()).toMatch(/Green earliest in (6 days|5 days 23 h)/);
    await button.click();
    await expect(checkIn.getByRole('status').innerText()).resolves.toContain('Checked in today ✓');
    await expect
      .poll(() => page.getByTestId('reasons').locator('li.req[data-kind="checkIns"]').getByTestId('req-progress').innerText())
      .toBe('2 of 7 check-ins');
    // still yellow: a check-in that changes no colour adds nothing to the timeline
    await expect.poll(() => page.getByTestId('timeline').locator('li.event').count()).toBe(2);
    await page.getByTestId('check-in').scrollIntoViewIfNeeded();
    await shot(page, '37-lifecycle-day2');
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
