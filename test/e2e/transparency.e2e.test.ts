// End-to-end: the public transparency page, with no log-in: the rules in force and their changelog,
// statistics, the audit-log head (the same hash the API publishes), the public keys, and current and
// past risk areas; in English and Chinese.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.ts';
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
    const api = async (p: string) => (await fetch(`${app.url}${p}`)).json();
    const [rules, transparency, trust] = await Promise.all([api('/api/public/rules'), api('/api/public/transparency'), api('/api/public/trust-list')]);

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
    await shot(page, '62-transparency-zh');

    // wide screen
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, '63-transparency-desktop');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
