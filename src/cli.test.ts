import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openStore } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ensureIdHashKey } from './features/keys/service.ts';
import { registerHolder as registerHolderService } from './features/holders/service.ts';
import { cryptoRandom } from './support/clock.ts';
import { DIALECTS, pgAdminUrl } from '../test/support/db.ts';
import { makeTestApp, registerHolder, REPO_ROOT, type TestApp } from '../test/support/app.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'healthcode.js');
const DCC_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'testdata', 'dcc');

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('healthcode verify', () => {
  let t: TestApp;
  let dir: string;
  let token: string;
  let trustFile: string;
  beforeAll(async () => {
    t = await makeTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-cli-'));
    const { cookie } = await registerHolder(t.app);
    token = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie } })).json().token;
    trustFile = path.join(dir, 'trust-list.json');
    fs.writeFileSync(trustFile, (await t.app.inject('/api/public/trust-list')).body);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints ok and exits 0 for a valid healthcode checked against a saved trust list', async () => {
    const r = await cli(['verify', token, '--trust-list', trustFile, '--at', '2026-11-23T08:01:00Z']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, kind: 'healthcode', error: null, claims: { colour: 'green', maskedName: 'Z** Wei', birthYear: 1990 } });
  });

  it('exits 1 with the error code for an expired or tampered code', async () => {
    const expired = await cli(['verify', token, '--trust-list', trustFile, '--at', '2026-11-23T08:10:00Z']);
    expect(expired.code).toBe(1);
    expect(JSON.parse(expired.stdout)).toMatchObject({ ok: false, kind: 'healthcode', error: 'expired' });
    const tampered = token.slice(0, 30) + (token[30] === 'B' ? 'C' : 'B') + token.slice(31);
    const bad = await cli(['verify', tampered, '--trust-list', trustFile, '--at', '2026-11-23T08:01:00Z']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).ok).toBe(false);
  });

  it('verifies an EU DCC test vector with its certificate at its validation clock', async () => {
    const v = JSON.parse(fs.readFileSync(path.join(DCC_DIR, 'BE', '2DCode', 'raw', '1.json'), 'utf8'));
    const r = await cli(['verify', v.PREFIX, '--trust-cert', v.TESTCTX.CERTIFICATE, '--at', v.TESTCTX.VALIDATIONCLOCK]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, kind: 'dcc', error: null });
    expect(r.code).toBe(0);
    const wrongCert = await cli(['verify', v.PREFIX, '--at', v.TESTCTX.VALIDATIONCLOCK]);
    expect(wrongCert.code).toBe(1);
  });

  it.each([
    ['no argument', ['verify']],
    ['a bad --at', ['verify', 'HCQ1:X', '--at', 'yesterday']],
    ['a --trust-cert that is not a certificate', ['verify', 'HC1:X', '--trust-cert', 'not a cert!']],
    ['a --trust-list file that does not exist', ['verify', 'HCQ1:X', '--trust-list', '/nonexistent/file.json']],
    ['an unknown command', ['frobnicate']],
  ])('exits 2 on bad usage: %s', async (_name, args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
  });

  it('a bad configuration value stops with the variable named', async () => {
    const r = await cli(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
  });
});

describe('healthcode migrate and keys init', () => {
  it.each(DIALECTS)('apply to a new %s store once, then report up to date', async (dialect) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-cli-'));
    let url = `sqlite:${path.join(dir, 'hc.db')}`;
    let dropPg: (() => Promise<void>) | undefined;
    if (dialect === 'postgres') {
      const name = `hc_cli_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: pgAdminUrl() });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(pgAdminUrl()!);
      u.pathname = `/${name}`;
      url = u.toString();
      dropPg = async () => {
        const c = new pg.Client({ connectionString: pgAdminUrl() });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    try {
      const env = { HEALTHCODE_DATABASE_URL: url, HEALTHCODE_DATA_DIR: dir };
      const first = await cli(['migrate'], env);
      expect(first.stdout).toContain('applied: 0001_foundation');
      expect(first.code).toBe(0);
      expect((await cli(['migrate'], env)).stdout).toContain('already up to date');
      const k1 = await cli(['keys', 'init'], env);
      expect(k1.stdout).toMatch(/^created signing key \S+ \(ES256, CN-LX\)/);
      const k2 = await cli(['keys', 'init'], env);
      expect(k2.stdout).toMatch(/is already active/);
    } finally {
      await dropPg?.();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('healthcode import csv', () => {
  it('imports the good rows, reports each bad row with its line, exits 1, and a second run changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-cli-'));
    try {
      const url = `sqlite:${path.join(dir, 'hc.db')}`;
      const store = openStore(url);
      await migrateToLatest(store.db);
      const now = new Date();
      const key = await ensureIdHashKey(store.db, cryptoRandom, now);
      await registerHolderService(store.db, { name: 'Li Na', idNumber: 'CSV1234567', dateOfBirth: '1985-05-05', phone: '13712345678', region: 'CN-LX-01', password: 'long enough password' }, { now, random: cryptoRandom, idHashKey: key, defaultTimeZone: 'Asia/Shanghai' });
      await store.close();
      const sampled = new Date(Date.now() - 3_600_000).toISOString();
      const csv = [
        'external_id,id_number,kind,result,sampled_at,reported_at,lab',
        `r1,CSV1234567,pcr,negative,${sampled},,Lanxi CDC`,
        `r2,CSV1234567,pcr,maybe,${sampled},,Lanxi CDC`,
        `r3,CSV1234567,pcr,negative,2026-11-22,,Lanxi CDC`,
        `r4,NOBODY0000,pcr,negative,${sampled},,Lanxi CDC`,
      ].join('\n');
      const file = path.join(dir, 'results.csv');
      fs.writeFileSync(file, csv);
      const env = { HEALTHCODE_DATABASE_URL: url, HEALTHCODE_DATA_DIR: dir };
      const first = await cli(['import', 'csv', file], env);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('stored 1, already there 0, rejected 3');
      expect(first.stderr).toContain('line 3: result "maybe" is not positive or negative');
      expect(first.stderr).toContain('line 4: sampled_at "2026-11-22" is not a date-time with an offset');
      expect(first.stderr).toContain('line 5: no holder');
      const second = await cli(['import', 'csv', file], env);
      expect(second.stdout).toContain('stored 0, already there 1, rejected 3');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
