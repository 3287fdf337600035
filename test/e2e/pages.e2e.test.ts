// End-to-end: the built web pages (dist/web) against the real server, driven by Debian's Chromium.
// Holder registers → GREEN → declares fever → YELLOW with a reason → a checkpoint operator logs in,
// picks the venue, pastes the token → verdict YELLOW with the masked name. Then the same token
// through the camera path (a fake camera playing a video of the QR code).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';
import { writeQrY4m } from './fake-camera.ts';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('web pages (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  // shared between the steps below (they run in order)
  let token = '';
  let maskedName = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    // The server's clock is a manual one; the browser's is real. Scans stamped more than 5 min
    // after server time are refused, so the server clock follows real time (beforeEach).
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    const home = await fetch(`${app.url}/`);
    if (!home.ok || !(home.headers.get('content-type') ?? '').includes('text/html')) {
      throw new Error(`the test app must serve dist/web at / (deps.webRoot); GET / gave ${home.status}`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  beforeEach(() => {
    app.clock.set(new Date());
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    return page;
  }

  it('a browser set to Chinese opens every app in Chinese; a choice made is kept', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    for (const path of ['/', '/scanner/', '/venue/', '/console/', '/transparency/']) {
      await page.goto(`${app.url}${path}`);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await page.getByRole('button', { name: 'English' }).waitFor();
    }
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await context.close();
  });

  it('holder registers, sees GREEN, declares fever, sees YELLOW with the reason', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await shot(page, '01-holder-login');

    await page.getByRole('button', { name: 'New here? Register' }).click();
    await page.getByLabel('Full name').fill('Zhang Wei');
    await page.getByLabel('ID document number').fill('110101199003071234');
    await page.getByLabel('Date of birth').fill('1990-03-07');
    await page.getByLabel('Phone number').fill('13800138000');
    const region = page.getByLabel('Home district');
    await region.locator('option:nth-child(2)').waitFor({ state: 'attached' }); // districts loaded
    await region.selectOption({ index: 1 });
    await page.getByLabel('Password').fill('correct-horse-1');
    await shot(page, '02-holder-register', true);
    await page.getByRole('button', { name: 'Register', exact: true }).click();

    const card = page.locator('.code-card');
    const qr = card.locator('img.qr');
    await qr.waitFor();
    await expect(card.getAttribute('data-colour')).resolves.toBe('green');
    await expect(card.getAttribute('data-state')).resolves.toBe('live');
    await expect(card.locator('.colour-word').innerText()).resolves.toBe('GREEN');
    await expect(qr.getAttribute('data-token')).resolves.toMatch(/^HCQ1:/);
    const box = await qr.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(260);
    maskedName = (await page.getByTestId('masked-name').innerText()).trim();
    expect(maskedName).not.toBe('');
    expect(maskedName).not.toContain('Zhang'); // masked, not the full name
    // the clock ticks
    const t1 = await page.locator('.clock-time').innerText();
    await page.waitForTimeout(1100);
    expect(await page.locator('.clock-time').innerText()).not.toBe(t1);
    await shot(page, '03-holder-green');

    await page.getByLabel('Fever').check();
    await page.getByLabel('Temperature (°C, optional)').fill('38.4');
    await page.getByRole('button', { name: 'Submit declaration' }).click();
    await page.locator('.code-card[data-colour="yellow"] img.qr').waitFor();
    await expect(card.locator('.colour-word').innerText()).resolves.toBe('YELLOW');
    const reasons = page.getByTestId('reasons').locator('li.reason');
    expect(await reasons.count()).toBeGreaterThanOrEqual(1);
    expect((await reasons.first().locator('.reason-text').innerText()).trim().length).toBeGreaterThan(5);
    await expect(page.getByRole('status').filter({ hasText: 'Declaration recorded' }).innerText()).resolves.toContain('YELLOW');
    token = (await card.locator('img.qr').getAttribute('data-token')) ?? '';
    expect(token).toMatch(/^HCQ1:/);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '04-holder-yellow');
    await shot(page, '05-holder-yellow-full', true);

    // Chinese: the colour in words, the reason in Chinese; the choice survives a reload
    await page.getByRole('button', { name: '中文' }).click();
    await expect(card.locator('.colour-word').innerText()).resolves.toBe('黄码');
    await page.reload();
    await page.locator('.code-card[data-colour="yellow"] img.qr').waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await expect(page.locator('.code-card .colour-word').innerText()).resolves.toBe('黄码');
    await shot(page, '06-holder-yellow-zh');
  });

  it('checkpoint operator logs in, picks the venue, pastes the token and sees YELLOW', async () => {
    expect(token).not.toBe('');
    const page = await newPage({ width: 412, height: 915 });
    await page.goto(`${app.url}/scanner/`);
    await page.getByLabel('Username').fill('checkpoint1');
    await page.getByLabel('Password').fill('demo-password');
    await shot(page, '10-scanner-login');
    await page.getByRole('button', { name: 'Log in' }).click();

    const venue = page.locator(`button[data-venue-id="${app.venueId}"]`);
    await venue.waitFor();
    await shot(page, '11-scanner-venues');
    await venue.click();

    const codeBox = page.getByLabel('Code text (HCQ1:…)');
    await codeBox.waitFor();
    // no camera in this browser: said so, and manual entry still works
    await page.locator('.camera[data-camera="unavailable"]').waitFor();
    await shot(page, '12-scanner-ready', true);

    await codeBox.fill(token);
    await page.getByRole('button', { name: 'Check code' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-ok')).resolves.toBe('true');
    await expect(verdict.getAttribute('data-colour')).resolves.toBe('yellow');
    await expect(verdict.getAttribute('data-pass')).resolves.toBe('false');
    const text = await verdict.innerText();
    expect(text).toContain('STOP — YELLOW');
    expect(text).toContain(maskedName);
    expect(text).toContain('Born 1990');
    await shot(page, '13-scanner-verdict-yellow');

    await page.waitForTimeout(400); // dismissals in the first 300 ms are ignored
    await page.keyboard.press('Escape');
    await verdict.waitFor({ state: 'detached' });
    await expect(page.locator('.scan-log').innerText()).resolves.toContain('STOP — YELLOW');

    // not a health code: INVALID CODE, in plain words
    await codeBox.fill('https://example.com/not-a-health-code');
    await page.keyboard.press('Enter');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-ok')).resolves.toBe('false');
    await expect(verdict.locator('.verdict-title').innerText()).resolves.toBe('INVALID CODE');
    await expect(verdict.getAttribute('data-error')).resolves.not.toBe('');
    await shot(page, '14-scanner-verdict-invalid');
    await page.waitForTimeout(400);
    await verdict.click();
    await verdict.waitFor({ state: 'detached' });
  });

  it('the camera path decodes the QR code and posts the scan', async () => {
    expect(token).not.toBe('');
    const video = path.join(tmpdir(), `healthcode-e2e-${process.pid}.y4m`);
    writeQrY4m(video, token);
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await camBrowser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, locale: 'en-GB' });
      await context.grantPermissions(['camera'], { origin: app.url });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      watchErrors(page, pageErrors);
      await page.goto(`${app.url}/scanner/`);
      await page.getByLabel('Username').fill('checkpoint1');
      await page.getByLabel('Password').fill('demo-password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator(`button[data-venue-id="${app.venueId}"]`).click();
      await page.locator('.camera[data-camera="on"]').waitFor();
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor();
      await expect(verdict.getAttribute('data-colour')).resolves.toBe('yellow');
      await expect(verdict.innerText()).resolves.toContain(maskedName);
      await shot(page, '20-camera-verdict');
      await page.waitForTimeout(400);
      await page.keyboard.press('Enter');
      await verdict.waitFor({ state: 'detached' });
      // the same code still in front of the camera is not scanned again
      await page.waitForTimeout(1500);
      expect(await verdict.count()).toBe(0);
      await expect(page.locator('.scan-log').innerText()).resolves.toContain('Scans this session: 1');
      await shot(page, '21-camera-running', true);
    } finally {
      await camBrowser.close();
    }
  });

  it('the code refreshes before it expires, and shows EXPIRED + offline when it cannot', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.clock.install({ time: new Date() });
    await page.goto(`${app.url}/`);
    await page.getByLabel('Phone number').fill('13800138000');
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const qr = page.locator('.code-card[data-state="live"] img.qr');
    await qr.waitFor();
    const first = await qr.getAttribute('data-token');

    // ~30 s before expiry (a live code lives 5 min) a new code is fetched
    app.clock.set(new Date(Date.now() + 4.5 * 60_000));
    await page.clock.fastForward('04:35');
    await expect.poll(() => page.locator('.code-card img.qr').getAttribute('data-token')).not.toBe(first);
    await expect(page.locator('.code-card').getAttribute('data-state')).resolves.toBe('live');

    // offline: the refresh fails, the last code stays on screen and is shown as expired
    await context.setOffline(true);
    await page.clock.fastForward('05:10');
    await page.locator('.code-card[data-state="expired"] .expired-veil').waitFor();
    await expect(page.locator('.expired-veil').innerText()).resolves.toContain('EXPIRED at');
    await expect(page.locator('.offline-badge').innerText()).resolves.toMatch(/offline/i);
    await shot(page, '07-holder-expired-offline');

    // back online: a fresh code
    await context.setOffline(false);
    app.clock.set(new Date(Date.now() + 10 * 60_000));
    await page.clock.fastForward('00:15');
    await page.locator('.code-card[data-state="live"] img.qr').waitFor();
    expect(await page.locator('.offline-badge').count()).toBe(0);
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
