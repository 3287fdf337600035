// End-to-end: the checkpoint scanner offline. The operator logs in while online (the trust list and
// revocation list are cached — deliberately out of date here, so the red warning must show), the
// network goes away, two codes are scanned and verified on the device with the OFFLINE banner and
// queued in IndexedDB, the page even reloads offline from the service worker, then the network
// returns and the queue is synced once: two rows on the server, and sending the same events again
// stores nothing more.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHolder, startTestApp } from '../support/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('scanner offline (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('verifies on the device while offline, warns about old lists, queues, and syncs exactly once', async () => {
    app.clock.set(new Date());
    const h = await registerHolder(app.app);
    const token = (await app.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token as string;
    expect(token).toMatch(/^HCQ1:/);

    context = await browser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // going offline makes the failed requests log errors; only page errors count here
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));

    await page.goto(`${app.url}/scanner/`);
    await page.getByLabel('Username').fill('checkpoint1');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator(`button[data-venue-id="${app.venueId}"]`).waitFor();
    // the lists the device caches (on the scan screen) are issued 49 h ago: both are past their expiry
    app.clock.set(new Date(Date.now() - 49 * 3_600_000));
    await page.locator(`button[data-venue-id="${app.venueId}"]`).click();
    const bar = page.getByTestId('offline-bar');
    await bar.locator('text=Trust list from').waitFor();
    await expect(bar.getAttribute('data-online')).resolves.toBe('true');
    await bar.locator('.stale-warning').waitFor();
    expect(await bar.locator('.stale-warning').innerText()).toContain('the trust list expired');
    // installable: a manifest, and the service worker controls the page after it is ready
    await expect(page.locator('link[rel="manifest"]').getAttribute('href')).resolves.toBe('/scanner/manifest.webmanifest');
    expect((await (await fetch(`${app.url}/scanner/manifest.webmanifest`)).json()).start_url).toBe('/scanner/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    app.clock.set(new Date());
    await shot(page, '40-scanner-online-stale-lists', true);

    // offline
    await context.setOffline(true);
    await expect.poll(() => bar.getAttribute('data-online')).toBe('false');
    const codeBox = page.getByLabel('Code text (HCQ1:…)');
    await codeBox.fill(token);
    await page.getByRole('button', { name: 'Check code' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-colour')).resolves.toBe('green');
    await expect(verdict.getAttribute('data-ok')).resolves.toBe('true');
    const banner = verdict.getByTestId('verdict-offline');
    expect(await banner.innerText()).toContain('OFFLINE — verified on this device; trust list from');
    await expect(banner.getAttribute('data-stale')).resolves.toBe('true');
    expect(await banner.innerText()).toContain('WARNING: the trust list on this device is out of date');
    await shot(page, '41-scanner-offline-verdict');
    await page.waitForTimeout(400);
    await page.keyboard.press('Escape');
    await verdict.waitFor({ state: 'detached' });

    // a forged code: the signature fails on the device too
    // one character of the signature changed to a different base45 digit (never the same one)
    const at = token.length - 6;
    const forged = token.slice(0, at) + (token[at] === '0' ? '1' : '0') + token.slice(at + 1);
    expect(forged).not.toBe(token);
    await codeBox.fill(forged);
    await page.keyboard.press('Enter');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-ok')).resolves.toBe('false');
    await page.waitForTimeout(400);
    await page.keyboard.press('Escape');
    await verdict.waitFor({ state: 'detached' });
    await expect.poll(() => bar.getAttribute('data-queue')).toBe('2');
    expect(await page.getByTestId('queue-count').innerText()).toContain('2 scans waiting to sync');
    expect(await page.locator('.scan-log').innerText()).toContain('Queued; it will be recorded when the connection returns.');
    await shot(page, '42-scanner-offline-queue', true);

    // the scanner opens offline (service worker) and keeps its queue
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await bar.waitFor();
    await expect(bar.getAttribute('data-online')).resolves.toBe('false');
    await expect.poll(() => bar.getAttribute('data-queue')).toBe('2');
    const queuedEvents = await page.evaluate(
      () =>
        new Promise<unknown[]>((resolve, reject) => {
          const r = indexedDB.open('healthcode-scanner');
          r.onsuccess = () => {
            const g = r.result.transaction('queue').objectStore('queue').getAll();
            g.onsuccess = () => resolve((g.result as { body: unknown }[]).map((q) => q.body));
            g.onerror = () => reject(g.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );
    expect(queuedEvents).toHaveLength(2);
    expect(queuedEvents.every((e) => (e as { mode: string }).mode === 'offline_sync')).toBe(true);
    expect(await app.deps.store.db.selectFrom('scans').select('event_id').execute()).toHaveLength(0);

    // back online: synced once, the lists refreshed (no more warning)
    await context.setOffline(false);
    await expect.poll(() => bar.getAttribute('data-queue'), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => bar.getAttribute('data-online')).toBe('true');
    await page.getByTestId('last-sync').waitFor();
    expect(await page.getByTestId('last-sync').innerText()).toContain('2 recorded, 0 already recorded');
    await expect.poll(() => bar.getAttribute('data-stale')).toBe('false');
    await shot(page, '43-scanner-synced', true);
    const rows = await app.deps.store.db.selectFrom('scans').select(['event_id', 'mode', 'verdict_ok', 'holder_id']).orderBy('verdict_ok').execute();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.mode)).toEqual(['offline_sync', 'offline_sync']);
    expect(rows.map((r) => Number(r.verdict_ok))).toEqual([0, 1]);
    expect(rows[1]!.holder_id).toBe(h.holder.id);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(queuedEvents.map((e) => (e as { eventId: string }).eventId)));

    // the same events again (a sync whose answer was lost): nothing more is stored
    const again = await page.evaluate(async (events) => {
      const r = await fetch('/api/checkpoint/scans/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      return r.json();
    }, queuedEvents);
    expect(again).toMatchObject({ stored: 0, duplicate: 2, rejected: 0 });
    expect(await app.deps.store.db.selectFrom('scans').select('event_id').execute()).toHaveLength(2);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
