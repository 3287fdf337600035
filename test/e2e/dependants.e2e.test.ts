// End-to-end, the Dependants card in the holder app: a guardian adds a child with the child's ID
// document, checks in for them, shows their live code (it verifies as the child) and prints their
// paper code (a PDF); a second guardian adding the same child gets the clear answer and asks to be
// added. Then large print / high contrast, and every control of the page has an accessible name.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHolder, startTestApp } from '../support/app.ts';
import { decodeHealthCode } from '../../src/core/token/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

describe.skipIf(!haveChromium && process.env.CI !== 'true')('dependants card and large print (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  async function pageFor(cookie: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: app.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchErrors(page, pageErrors);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('a guardian adds a child, checks in, shows and prints their code; a second guardian is told and asks to be added', async () => {
    const g = await registerHolder(app.app, { name: 'Wang Fang' });
    const page = await pageFor(g.cookie);
    await page.goto(`${app.url}/`);
    const card = page.getByTestId('dependants');
    await card.getByText('No dependants yet.').waitFor();

    await card.getByText('Add a dependant').click();
    await card.getByLabel('Their full name').fill('Wang Xiao Ming');
    await card.getByLabel('Their ID document number').fill('110101201803040011');
    await card.getByLabel('Their date of birth').fill('2018-03-04');
    await card.getByLabel('Their home district').selectOption({ index: 1 });
    await card.getByLabel('Your relationship to them').fill('child');
    await card.getByRole('button', { name: 'Add dependant' }).click();
    const row = card.getByTestId('dependant');
    await row.waitFor();
    expect(await row.textContent()).toContain('Wang Xiao Ming');
    expect(await row.locator('[data-colour]').getAttribute('data-colour')).toBe('green');

    await row.getByRole('button', { name: 'Check in for Wang Xiao Ming' }).click();
    await row.getByText('Checked in for Wang Xiao Ming today.').waitFor();

    await row.getByRole('button', { name: 'Show code of Wang Xiao Ming' }).click();
    const code = row.getByTestId('dependant-code');
    await code.waitFor();
    expect(await code.getByRole('img', { name: 'Live code of Wang Xiao Ming' }).count()).toBe(1);
    const token = (await code.getAttribute('data-token'))!;
    expect(decodeHealthCode(token, app.deps.keys.trust, app.clock.now())).toMatchObject({ maskedName: 'W** X** Ming', birthYear: 2018, kind: 'live' });

    await row.getByRole('button', { name: 'Print paper code for Wang Xiao Ming' }).click();
    const link = row.getByTestId('paper-pdf');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    const pdf = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ type: 'application/pdf', head: '%PDF-' });
    await shot(page, 'dependants-card', true);

    // the audit log names the guardian for each of those actions
    const actions = await app.deps.store.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', 'like', 'guardian.%').execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(new Set(['guardian.register', 'guardian.list', 'guardian.check_in', 'guardian.show_code', 'guardian.print_paper_code', 'guardian.print_pdf']));
    expect(actions.every((a) => a.actor_id === g.holder.id)).toBe(true);

    // a second guardian claims the same child
    const other = await registerHolder(app.app, { name: 'Wang Gang' });
    const page2 = await pageFor(other.cookie);
    await page2.goto(`${app.url}/`);
    const card2 = page2.getByTestId('dependants');
    await card2.getByText('Add a dependant').click();
    await card2.getByLabel('Their full name').fill('Wang Xiao Ming');
    await card2.getByLabel('Their ID document number').fill('110101201803040011');
    await card2.getByLabel('Their date of birth').fill('2018-03-04');
    await card2.getByLabel('Their home district').selectOption({ index: 1 });
    await card2.getByLabel('Your relationship to them').fill('parent');
    await card2.getByRole('button', { name: 'Add dependant' }).click();
    const alert = card2.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('already registered by another guardian');
    await card2.getByRole('button', { name: 'Ask to be added as their guardian' }).click();
    await card2.getByText('Request sent.').waitFor();
    const pending = await app.deps.store.db.selectFrom('guardianships').select(['status']).where('guardian_id', '=', other.holder.id).execute();
    expect(pending).toEqual([{ status: 'pending' }]);
    // the one failed request is the expected 409 of the conflict
    expect(pageErrors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    pageErrors.length = 0;
  }, 120_000);

  it('large print and high contrast; every control has an accessible name', async () => {
    const h = await registerHolder(app.app);
    const page = await pageFor(h.cookie);
    await page.goto(`${app.url}/`);
    await page.getByTestId('dependants').waitFor();
    const toggle = page.getByRole('button', { name: 'Large print, high contrast' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const after = await page.evaluate(() => ({
      size: parseFloat(getComputedStyle(document.documentElement).fontSize),
      cls: document.documentElement.className,
      fg: getComputedStyle(document.body).color,
      bg: getComputedStyle(document.documentElement).backgroundColor,
    }));
    expect(after.cls).toContain('large-print');
    expect(after.size).toBeGreaterThanOrEqual(before * 1.3);
    expect(after.fg).toBe('rgb(0, 0, 0)');
    expect(after.bg).toBe('rgb(255, 255, 255)');
    // remembered on reload
    await page.reload();
    await page.getByTestId('dependants').waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-print'))).toBe(true);
    await shot(page, 'large-print', true);

    // every control is labelled for screen readers
    await page.getByTestId('dependants').getByText('Add a dependant').click();
    const unlabelled = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('button, input, select, textarea, a[href], summary'))) {
        const e = el as HTMLElement;
        if (e.closest('[hidden]') || (e as HTMLInputElement).type === 'hidden') continue;
        const labelled =
          (e.getAttribute('aria-label') ?? '').trim() !== '' ||
          (e.getAttribute('aria-labelledby') ?? '') !== '' ||
          ('labels' in e && (e as HTMLInputElement).labels !== null && (e as HTMLInputElement).labels!.length > 0 && (e as HTMLInputElement).labels![0]!.textContent!.trim() !== '') ||
          (['BUTTON', 'A', 'SUMMARY'].includes(e.tagName) && (e.textContent ?? '').trim() !== '');
        if (!labelled) out.push(e.outerHTML.slice(0, 120));
      }
      return out;
    });
    expect(unlabelled).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
