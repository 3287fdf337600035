// End-to-end, the citizen app beyond the code page, in Chromium on a phone-sized screen:
// a venue poster's link (/?checkin=V0001) opened while logged out survives the log-in, shows the
// venue and stores the visit once confirmed; "Scan a venue poster" reads a poster's QR code through
// a (fake) camera; the inbox with its unread badge; uploading a test result; an appeal with an
// evidence file; the access log with an official's stated reason; the data export downloaded as a
// file; the deletion request with its confirm step. Everything checked against the store, in
// English and in Chinese, with screenshots. And the code page's JavaScript stays under budget,
// without the QR decoder.
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_VENUE_ID, registerHolder, startTestApp, VENUE_ID } from '../support/app.ts';
import { staffMember } from '../support/staff.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';
import { writeQrY4m } from './fake-camera.ts';

const ZONE = 'Asia/Shanghai';
const PASSWORD = 'correct horse battery';
const CODE_PAGE_BUDGET_GZIP = 200 * 1024;
/** A 1×1 PNG: evidence the server checks by its first bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe.skipIf(!haveChromium && process.env.CI !== 'true')('citizen app: venue check-in, inbox, results, appeals, access log, export (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let holder: Awaited<ReturnType<typeof registerHolder>>;

  const db = () => app.deps.store.db;
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.app.inject({ method, url, headers: { cookie: holder.cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function phone(lang: 'en' | 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: lang === 'en' ? 'en-GB' : 'zh-CN', timezoneId: ZONE });
    contexts.push(context);
    await context.grantPermissions(['camera'], { origin: app.url });
    await context.addInitScript((l) => {
      if (!localStorage.getItem('hc.lang')) localStorage.setItem('hc.lang', l);
    }, lang);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    watchErrors(page, pageErrors);
    // failed requests: only the expected ones (no session yet; no deletion request yet)
    page.on('response', (r) => {
      const expected = r.status() === 401 || (r.status() === 404 && new URL(r.url()).pathname === '/api/holder/deletion-request');
      if (r.status() >= 400 && !expected) pageErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    return page;
  }

  async function logIn(page: Page, button: string) {
    await page.locator('input[name="phone"]').fill(holder.body.phone);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: button, exact: true }).click();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString() });
    // the poster of the other venue, in front of the fake camera
    const video = path.join(tmpdir(), `healthcode-e2e-poster-${process.pid}.y4m`);
    writeQrY4m(video, `${app.url}/?checkin=${OTHER_VENUE_ID}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });

    holder = await registerHolder(app.app, { name: 'Li Na', password: PASSWORD });
    // symptoms: yellow, which writes an inbox message and leaves something to appeal
    const decl = await api('POST', '/api/holder/declarations', { symptoms: ['fever', 'cough'], placesVisited: [] });
    expect(decl.json().assessment.colour).toBe('yellow');
    // an official reads the record, stating why: the holder sees it in the access log
    const official = await staffMember(app, 'official');
    const read = await app.app.inject({
      method: 'GET',
      url: `/api/official/holders/${holder.holder.id}?reason=${encodeURIComponent('Checking a reported fever for case follow-up')}`,
      headers: { cookie: official.cookie },
    });
    expect(read.statusCode, read.body).toBe(200);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  it('keeps the code page under the JavaScript budget and loads the QR decoder only to scan', async () => {
    const page = await phone('en');
    const scripts = new Set<string>();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.add(r.url());
    });
    await page.goto(`${app.url}/`);
    await logIn(page, 'Log in');
    await page.locator('.code-card[data-state="live"] img.qr').waitFor();
    await page.waitForLoadState('networkidle');
    let gz = 0;
    for (const url of scripts) gz += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    expect(gz).toBeLessThan(CODE_PAGE_BUDGET_GZIP);
    expect([...scripts].some((u) => /PosterScanner|Screen-/.test(u))).toBe(false);
    // the tab bar: the code page is the one open
    const nav = page.getByRole('navigation', { name: 'Main menu' });
    await expect(nav.getByRole('link', { name: 'My code' }).getAttribute('aria-current')).resolves.toBe('page');
    const unread = (await api('GET', '/api/holder/inbox')).json().unread as number;
    expect(unread).toBeGreaterThan(0);
    await expect(nav.getByRole('link', { name: new RegExp(`Inbox.*${unread} unread`) }).count()).resolves.toBe(1);
    await expect(page.getByTestId('unread-badge').innerText()).resolves.toBe(String(unread));
    await shot(page, '60-citizen-code-tabs');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('input[name="phone"]').waitFor();
    console.log(`code page JavaScript: ${(gz / 1024).toFixed(1)} KB gzipped over ${scripts.size} files`);
  }, 120_000);

  it('a poster link opened logged out survives the log-in, names the venue, and stores the visit once confirmed', async () => {
    const page = await phone('en');
    await page.goto(`${app.url}/?checkin=${VENUE_ID}`);
    const pending = page.getByTestId('pending-visit');
    await pending.getByText('Then you can check in at Wanbo Plaza.').waitFor();
    await shot(page, '61-citizen-poster-link-logged-out');
    await logIn(page, 'Log in');

    const confirm = page.getByTestId('visit-confirm');
    await confirm.getByRole('heading', { name: 'Check in at Wanbo Plaza?' }).waitFor();
    await expect(confirm.innerText()).resolves.toContain('1 Old Town Road');
    expect(new URL(page.url()).search).toBe(''); // the link's ?checkin= is gone: a reload does not repeat it by surprise
    await shot(page, '62-citizen-visit-confirm');
    await confirm.getByRole('button', { name: 'Check in', exact: true }).click();
    const done = page.getByTestId('visit-done');
    await done.waitFor();
    await expect(done.innerText()).resolves.toContain('Checked in at Wanbo Plaza');
    await expect(done.locator('.colour-chip').getAttribute('data-colour')).resolves.toBe('yellow');
    const stored = await db().selectFrom('scans').selectAll().where('holder_id', '=', holder.holder.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ venue_id: VENUE_ID, mode: 'self_checkin', verdict_colour: 'yellow', verdict_ok: 1 });
    await expect(page.getByTestId('visit-row').count()).resolves.toBe(1);
    await shot(page, '63-citizen-visit-done', true);

    // in the app: scan the other venue's poster with the camera → the same confirm screen
    await done.getByRole('button', { name: 'Scan another poster' }).click();
    await page.getByRole('heading', { name: 'Check in at RT-Mart Old Town?' }).waitFor();
    await shot(page, '64-citizen-scanned-poster-confirm');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByTestId('visit-done').getByText('Checked in at RT-Mart Old Town').waitFor();
    const both = await db().selectFrom('scans').select(['venue_id', 'mode']).where('holder_id', '=', holder.holder.id).orderBy('scanned_at').execute();
    expect(both).toEqual([
      { venue_id: VENUE_ID, mode: 'self_checkin' },
      { venue_id: OTHER_VENUE_ID, mode: 'self_checkin' },
    ]);
    await expect(page.getByTestId('visit-row').count()).resolves.toBe(2);

    // the camera from the tab bar, as a holder would start it; it shows what it sees
    await page.getByTestId('visit-done').getByRole('button', { name: 'Scan another poster' }).click();
    // (the same poster is read at once again: confirm screen; cancel it this time)
    await page.getByRole('heading', { name: 'Check in at RT-Mart Old Town?' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.code-card').waitFor();
    expect(await db().selectFrom('scans').select('event_id').where('holder_id', '=', holder.holder.id).execute()).toHaveLength(2);
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Scan venue' }).click();
    await page.getByTestId('scan-poster').waitFor();
    await shot(page, '65-citizen-visit-start', true);
  }, 120_000);

  it('a QR code that is not a venue poster (a personal health code) is explained, the camera stays on', async () => {
    const token = (await api('GET', '/api/holder/code')).json().token as string;
    const video = path.join(tmpdir(), `healthcode-e2e-personal-${process.pid}.y4m`);
    writeQrY4m(video, token);
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const context = await camBrowser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: ZONE });
      await context.grantPermissions(['camera'], { origin: app.url });
      await context.addInitScript(() => localStorage.setItem('hc.lang', 'en'));
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${app.url}/#visit`);
      await logIn(page, 'Log in');
      await page.getByRole('button', { name: 'Scan a venue poster' }).click();
      await page.locator('.poster-scanner[data-camera="on"]').waitFor();
      await expect(page.getByTestId('poster-problem').innerText()).resolves.toBe('That is a personal health code, not a venue poster.');
      await page.waitForTimeout(300);
      await shot(page, '65b-citizen-scanner-not-a-poster', true);
      await page.getByRole('button', { name: 'Stop the camera' }).click();
      await page.locator('.poster-scanner[data-camera="idle"]').waitFor();
      await page.getByRole('button', { name: 'Close the scanner' }).click();
      await page.getByTestId('scan-poster').waitFor();
      expect(await db().selectFrom('scans').select('event_id').where('holder_id', '=', holder.holder.id).execute()).toHaveLength(2);
    } finally {
      await camBrowser.close();
    }
  }, 120_000);

  it('inbox, test result upload, appeal with evidence, access log, export and deletion', async () => {
    const page = await phone('en');
    await page.goto(`${app.url}/`);
    await logIn(page, 'Log in');
    const nav = page.getByRole('navigation', { name: 'Main menu' });

    // inbox: the message about turning yellow, unread; marked read
    await nav.getByRole('link', { name: /Inbox/ }).click();
    const message = page.getByTestId('inbox-message').first();
    await expect(message.innerText()).resolves.toContain('YELLOW');
    await expect(message.getAttribute('data-read')).resolves.toBe('false');
    await expect(page.getByRole('heading', { name: 'Inbox' }).evaluate((h) => h === document.activeElement)).resolves.toBe(true);
    await shot(page, '66-citizen-inbox', true);
    const markAll = page.getByRole('button', { name: 'Mark all as read' });
    if (await markAll.count()) await markAll.click();
    else await message.getByRole('button', { name: 'Mark as read' }).click();
    await expect.poll(() => message.getAttribute('data-read')).toBe('true');
    await expect(page.getByTestId('unread-badge').count()).resolves.toBe(0);
    expect((await api('GET', '/api/holder/inbox')).json().unread).toBe(0);

    // test result
    await nav.getByRole('link', { name: 'More' }).click();
    await page.getByRole('link', { name: /Test results/ }).click();
    await page.getByLabel('PCR (nucleic acid)').check();
    await page.getByLabel('Negative').check();
    await page.getByLabel('When the sample was taken').fill(
      new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
        .format(new Date(Date.now() - 3 * 3_600_000))
        .replace(' ', 'T'),
    );
    await page.getByLabel('Laboratory or test site').fill('Lanxi People’s Hospital lab');
    await page.getByRole('button', { name: 'Upload result' }).click();
    await page.getByTestId('lab-uploaded').waitFor();
    const result = page.getByTestId('lab-result').first();
    await expect(result.getAttribute('data-review')).resolves.toBe('pending');
    await expect(result.innerText()).resolves.toContain('Waiting for review');
    const labs = await db().selectFrom('lab_results').selectAll().where('holder_id', '=', holder.holder.id).execute();
    expect(labs).toHaveLength(1);
    expect(labs[0]).toMatchObject({ kind: 'pcr', result: 'negative', source: 'holder', review: 'pending', lab: 'Lanxi People’s Hospital lab' });
    expect(Math.abs(Number(labs[0]!.sampled_at) - (Date.now() - 3 * 3_600_000))).toBeLessThan(2 * 60_000);
    await shot(page, '67-citizen-test-result', true);

    // appeal with an evidence file
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('link', { name: /Appeals/ }).click();
    await page.getByLabel('Why do you think your colour is wrong?').fill('My fever was from a vaccination the day before; the doctor’s note is attached.');
    await page.getByTestId('evidence-file').setInputFiles({ name: 'doctor-note.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Send appeal' }).click();
    const appeal = page.getByTestId('appeal').first();
    await expect(appeal.getAttribute('data-status')).resolves.toBe('open');
    await expect(page.getByTestId('appeal-notice').innerText()).resolves.toContain('Evidence attached');
    await expect(appeal.innerText()).resolves.toContain('PNG');
    const appeals = (await api('GET', '/api/holder/appeals')).json().appeals;
    expect(appeals).toHaveLength(1);
    expect(appeals[0]).toMatchObject({ status: 'open', colour: 'yellow' });
    expect(appeals[0].evidence).toHaveLength(1);
    expect(appeals[0].evidence[0]).toMatchObject({ contentType: 'image/png', size: PNG.length });
    await shot(page, '68-citizen-appeal', true);

    // access log: the official's read, with the reason they gave
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('link', { name: /Who accessed my record/ }).click();
    const entry = page.getByTestId('access-entry').filter({ hasText: 'Read your record' }).first();
    await expect(entry.innerText()).resolves.toContain('Health official');
    await expect(entry.innerText()).resolves.toContain('Checking a reported fever for case follow-up');
    await expect(entry.locator('.pseudonym').innerText()).resolves.toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    await shot(page, '69-citizen-access-log', true);

    // export: a file download of everything, the visits included
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('link', { name: /My data/ }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^healthcode-export-\d{4}-\d{2}-\d{2}\.json$/);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const text = JSON.stringify(exported);
    expect(text).toContain(holder.holder.id);
    expect(text).toContain('self_checkin');
    await page.getByTestId('export-done').waitFor();

    // deletion: a confirm step, then when it applies and why it waits (the code is yellow)
    await page.getByRole('button', { name: 'Ask for deletion…' }).click();
    const sure = page.getByRole('button', { name: 'Yes, delete my data' });
    await expect(sure.isDisabled()).resolves.toBe(true);
    await page.getByLabel('I understand that this cannot be undone').check();
    await shot(page, '70-citizen-deletion-confirm', true);
    await sure.click();
    const status = page.getByTestId('deletion-status');
    await expect(status.innerText()).resolves.toContain('You asked for deletion on');
    await expect(status.innerText()).resolves.toContain('health records are kept while a health measure is in force');
    const deletion = (await api('GET', '/api/holder/deletion-request')).json().deletion;
    expect(deletion.appliedAt).toBeNull();
    await shot(page, '71-citizen-my-data', true);
  }, 120_000);

  it('in Chinese: every screen, and keyboard use of the menu', async () => {
    const page = await phone('zh-CN');
    await page.goto(`${app.url}/?checkin=${VENUE_ID}`);
    await page.getByTestId('pending-visit').getByText('然后即可在「Wanbo Plaza」签到').waitFor();
    await logIn(page, '登录');
    await page.getByRole('heading', { name: '在「Wanbo Plaza」签到？' }).waitFor();
    await shot(page, '72-citizen-zh-visit-confirm');
    await page.getByRole('button', { name: '取消' }).click();
    await page.locator('.code-card').waitFor();
    await shot(page, '73-citizen-zh-code-tabs');

    // keyboard: Tab to the menu, Enter opens the inbox, its heading takes the focus
    const nav = page.getByRole('navigation', { name: '主菜单' });
    await nav.getByRole('link', { name: '消息' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('inbox-message').first().waitFor();
    await expect.poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`)).toBe('H2 消息');
    await shot(page, '74-citizen-zh-inbox', true);

    const screens: [string, string, string][] = [
      ['检测结果', '您的检测结果', '75-citizen-zh-tests'],
      ['申诉', '您的申诉', '76-citizen-zh-appeals'],
      ['谁查看了我的记录', '谁查看了我的记录', '77-citizen-zh-access-log'],
      ['我的数据', '删除我的数据', '78-citizen-zh-my-data'],
    ];
    for (const [link, heading, name] of screens) {
      await nav.getByRole('link', { name: '更多' }).click();
      await page.getByRole('link', { name: new RegExp(link) }).click();
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, name, true);
    }
    await expect(page.getByTestId('deletion-status').innerText()).resolves.toContain('您已于');
    await nav.getByRole('link', { name: '场所签到' }).click();
    await page.getByTestId('scan-poster').click();
    await page.getByRole('heading', { name: '在「RT-Mart Old Town」签到？' }).waitFor();
    await shot(page, '79-citizen-zh-scanned-confirm');
    // large print: the menu stays usable (words, not only icons)
    await page.getByTestId('large-print').click();
    await nav.getByRole('link', { name: '更多' }).click();
    await page.getByRole('link', { name: /我的数据/ }).waitFor();
    await shot(page, '79b-citizen-zh-large-print-more');
    // the browser logs every failed request; the unexpected ones are listed by the response check
    expect(pageErrors.filter((e) => !e.startsWith('console: Failed to load resource'))).toEqual([]);
  }, 120_000);
});
