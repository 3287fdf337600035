// End-to-end: the checkpoint scanner's ID document look-up and paper codes, in Chromium.
// - the shared staff log-in: a role the scanner does not serve is refused in plain words, then the
//   operator logs in;
// - ID look-up: the full-screen verdict (colour word and shape, masked name, birth year), audited
//   with the operator and the holder; a number nobody has; the operator's hourly limit (429) said
//   plainly; offline, the screen says it works only online;
// - paper codes: online, the holder's current colour (changed since printing) with kind, low
//   assurance and where the colour came from; a reprinted (revoked) code refused with its reason;
//   offline, the printed colour with "paper code — colour as of <date>".
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/features/auth/passwords.ts';
import { insertStaff } from '../../src/features/staff/repository.ts';
import { registerHolder, startTestApp } from '../support/app.ts';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, ensureWebBuild, haveChromium, shot, watchErrors } from './browser.ts';

const LIMIT = 3;

describe.skipIf(!haveChromium && process.env.CI !== 'true')('scanner: ID look-up and paper codes (Chromium e2e)', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureWebBuild();
    app = await startTestApp({ dialect: 'sqlite', now: new Date().toISOString(), config: { idLookupPerHour: LIMIT } });
    const now = app.clock.now().getTime();
    await insertStaff(
      app.deps.store.db,
      { id: 'staff-auditor-e2e', username: 'auditor-e2e', display_name: 'Auditor Wang', role: 'auditor', password_hash: await hashPassword('auditor-password-1'), created_at: now },
      [],
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  async function dismiss(page: Page) {
    const verdict = page.getByTestId('verdict');
    await page.waitForTimeout(350); // the overlay ignores a dismiss in its first 300 ms
    await page.keyboard.press('Escape');
    await verdict.waitFor({ state: 'detached' });
  }

  it('looks up an ID document (audited, limited, online only) and shows paper codes with their assurance and colour source', async () => {
    app.clock.set(new Date());
    const a = await registerHolder(app.app, { name: 'Zhang Wei', dateOfBirth: '1984-05-06' });
    // holder B prints a paper code, then declares symptoms: yellow now, green on paper
    const b = await registerHolder(app.app, { name: 'Li Xiao Long' });
    const paper1 = (await app.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: b.cookie } })).json();
    expect(paper1.token).toMatch(/^HCQ1:/);
    const declared = await app.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: b.cookie }, payload: { symptoms: ['fever'], placesVisited: [] } });
    expect(declared.json().assessment.colour).toBe('yellow');
    // holder A's paper code (green), scanned offline later
    const paperA = (await app.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: a.cookie } })).json();

    context = await browser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));

    // the shared log-in: an auditor is not served by the scanner, and is logged out again
    await page.goto(`${app.url}/scanner/`);
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    await page.getByLabel('Username').fill('auditor-e2e');
    await page.getByLabel('Password').fill('auditor-password-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This account cannot use this app' }).waitFor();
    await shot(page, 'scanner-login-01-wrong-role-en');
    expect((await page.evaluate(async () => (await fetch('/api/staff/me')).status))).toBe(401);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByLabel('Username').fill('checkpoint1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Username or password is not correct.' }).waitFor();
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator(`button[data-venue-id="${app.venueId}"]`).click();
    const bar = page.getByTestId('offline-bar');
    await bar.locator('text=Trust list from').waitFor();

    // ---- ID look-up
    await page.getByRole('button', { name: 'ID document (no phone)' }).click();
    await expect(page.getByRole('button', { name: 'ID document (no phone)' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByLabel('ID document number').waitFor();
    const idBox = page.locator('#id-number'); // the same field in either language
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('id-number');
    await idBox.fill(a.body.idNumber);
    await shot(page, 'scanner-id-01-form-en');
    await page.keyboard.press('Enter');
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-via')).resolves.toBe('id');
    await expect(verdict.getAttribute('data-colour')).resolves.toBe('green');
    await expect(verdict.getAttribute('data-colour-source')).resolves.toBe('current');
    const text = await verdict.innerText();
    expect(text).toContain('PASS — GREEN');
    expect(text).toContain('ID DOCUMENT LOOK-UP');
    expect(text).toContain('Z** Wei');
    expect(text).toContain('Born 1984');
    expect(text).toContain('Current colour from the server, as of');
    expect(text).toContain('Compare the photo on the ID document with the person.');
    expect(text).not.toContain(a.body.idNumber);
    await shot(page, 'scanner-id-02-verdict-en');
    await dismiss(page);
    // the number does not stay on screen; the look-up is in the audit log, operator → holder
    await expect(idBox.inputValue()).resolves.toBe('');
    expect(await page.locator('.scan-log').innerText()).toContain('Last ID look-up: PASS — GREEN');
    const audited = await app.deps.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'holder.id_lookup').execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_kind: 'staff', actor_id: 'staff-op-1', subject_kind: 'holder', subject_id: a.holder.id });
    expect(JSON.parse(audited[0]!.detail)).toMatchObject({ outcome: 'found', colour: 'green' });
    // no scan row: a look-up is not a visit
    expect(await app.deps.store.db.selectFrom('scans').select('event_id').execute()).toHaveLength(0);

    // a number nobody registered
    await idBox.fill('330781199001019999');
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'No one is registered with this ID document number.' }).waitFor();
    // not an ID number at all: said before anything is sent
    await idBox.fill('12;3');
    await page.getByRole('button', { name: 'Look up', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'That is not an ID document number' }).waitFor();

    // zh-CN: the same verdict in Chinese (the third look-up this hour)
    await page.getByRole('button', { name: '中文' }).click();
    await idBox.fill(a.body.idNumber);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await verdict.waitFor();
    const zh = await verdict.innerText();
    expect(zh).toContain('通行 — 绿码');
    expect(zh).toContain('证件查询');
    expect(zh).toContain('1984 年出生');
    await shot(page, 'scanner-id-03-verdict-zh');
    await dismiss(page);
    // the fourth is over the operator's limit: said plainly, with when to try again
    await idBox.fill(a.body.idNumber);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '本小时的证件查询次数已用完' }).waitFor();
    await shot(page, 'scanner-id-04-limit-zh');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'limit of ID look-ups' }).innerText()).toMatch(/Try again in \d+ min/);
    expect(await app.deps.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'holder.id_lookup_refused').execute()).toHaveLength(1);

    // ---- paper codes, online: the current colour, changed since printing
    await page.getByRole('button', { name: 'Scan a code' }).click();
    await page.getByLabel('Code text (HCQ1:…)').waitFor();
    const codeBox = page.locator('#manual-code');
    await codeBox.fill(paper1.token);
    await page.getByRole('button', { name: 'Check code' }).click();
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-kind')).resolves.toBe('paper');
    await expect(verdict.getAttribute('data-assurance')).resolves.toBe('low');
    await expect(verdict.getAttribute('data-colour-source')).resolves.toBe('current');
    await expect(verdict.getAttribute('data-colour')).resolves.toBe('yellow');
    await expect(verdict.getAttribute('data-pass')).resolves.toBe('false');
    const p1 = await verdict.innerText();
    expect(p1).toContain('STOP — YELLOW');
    expect(p1).toContain('PAPER CODE');
    expect(p1).toContain('Lower assurance: not tied to a phone');
    expect(p1).toContain('Current colour from the server, as of');
    expect(p1).toContain('The colour has changed since this paper code was printed. The current colour is shown.');
    expect(p1).toContain('L** X** Long');
    expect(p1).toContain('Paper code valid until');
    await shot(page, 'scanner-paper-01-online-en');
    await dismiss(page);
    await page.getByRole('button', { name: '中文' }).click();
    await codeBox.fill(paper1.token);
    await page.getByRole('button', { name: '核验' }).click();
    await verdict.waitFor();
    expect(await verdict.innerText()).toContain('此纸质码打印后颜色已变化');
    await shot(page, 'scanner-paper-02-online-zh');
    await dismiss(page);
    await page.getByRole('button', { name: 'English' }).click();

    // a reprint revokes the first paper code: refused with its reason
    const paper2 = (await app.app.inject({ method: 'POST', url: '/api/holder/paper-codes', headers: { cookie: b.cookie } })).json();
    expect(paper2.revoked).toBe(paper1.codeId);
    await codeBox.fill(paper1.token);
    await page.getByRole('button', { name: 'Check code' }).click();
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-ok')).resolves.toBe('false');
    await expect(verdict.getAttribute('data-error')).resolves.toBe('revoked');
    const rv = await verdict.innerText();
    expect(rv).toContain('INVALID CODE');
    expect(rv).toMatch(/This paper code was cancelled on .+ because a newer one was printed\. Ask for the newest paper code\./);
    await shot(page, 'scanner-paper-03-revoked-en');
    await dismiss(page);

    // ---- offline: the ID look-up says it works only online; a paper code shows its printed colour
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await expect.poll(() => bar.getAttribute('data-online')).toBe('false');
    await page.getByRole('button', { name: 'ID document (no phone)' }).click();
    await page.getByTestId('id-offline').waitFor();
    expect(await page.getByTestId('id-offline').innerText()).toContain('ID look-up works only online');
    await expect(idBox.isDisabled()).resolves.toBe(true);
    await shot(page, 'scanner-id-05-offline-en');
    await page.getByRole('button', { name: 'Scan a code' }).click();
    await codeBox.fill(paperA.token);
    await page.getByRole('button', { name: 'Check code' }).click();
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-kind')).resolves.toBe('paper');
    await expect(verdict.getAttribute('data-colour-source')).resolves.toBe('token');
    await expect(verdict.getAttribute('data-colour-as-of')).resolves.toBe(new Date(paperA.issuedAt).toISOString());
    await expect(verdict.getAttribute('data-colour')).resolves.toBe('green');
    const off = await verdict.innerText();
    expect(off).toContain('OFFLINE — verified on this device');
    expect(off).toContain('PAPER CODE');
    expect(off).toMatch(/Paper code — colour as of \d/);
    expect(off).toContain('it may have changed since');
    await shot(page, 'scanner-paper-04-offline-en');
    await dismiss(page);
    await page.getByRole('button', { name: '中文' }).click();
    await codeBox.fill(paperA.token);
    await page.getByRole('button', { name: '核验' }).click();
    await verdict.waitFor();
    expect(await verdict.innerText()).toMatch(/纸质码——颜色截至 /);
    await shot(page, 'scanner-paper-05-offline-zh');
    await dismiss(page);
    await context.setOffline(false);
    await expect.poll(() => bar.getAttribute('data-queue'), { timeout: 20_000 }).toBe('0');

    // log out: the shared log-in form, in Chinese; a wrong password said in Chinese
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
    await page.getByLabel('用户名').fill('checkpoint1');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码不正确。' }).waitFor();
    await shot(page, 'scanner-login-02-zh');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
