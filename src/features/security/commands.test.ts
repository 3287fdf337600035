import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { REPO_ROOT } from '../../../test/support/app.ts';
import { audit } from '../audit/service.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'healthcode.js');

describe('healthcode audit verify / purge / staff add (SQLite file)', () => {
  let dir: string;
  let env: Record<string, string>;
  let url: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-due-'));
    url = `sqlite:${path.join(dir, 'hc.db')}`;
    env = { HEALTHCODE_DATABASE_URL: url, HEALTHCODE_DATA_DIR: dir };
    const store = openStore(url);
    await migrateToLatest(store.db);
    for (let i = 1; i <= 5; i++) {
      await audit(store.db, { at: new Date(Date.UTC(2026, 10, 23, 8, 0, i)), actor: { kind: 'staff', id: 'o1', role: 'official' }, action: 'holder.read', subject: { kind: 'holder', id: `h${i}` }, reason: 'tracing' });
    }
    await store.close();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function cli(args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  it('verify exits 0 on an intact log and 1 naming the first broken entry after tampering; staff add enrols a second factor; purge reports', async () => {
    const ok = await cli(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: 5 });

    const added = await cli(['staff', 'add', 'sup1', '--role', 'supervisor']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/TOTP secret: [A-Z2-7]{32}/);
    expect(added.stdout).toMatch(/otpauth:\/\/totp\//);
    const badRole = await cli(['staff', 'add', 'x', '--role', 'banker']);
    expect(badRole.code).toBe(2);

    const purged = await cli(['purge', '--at', '2026-11-24T00:00:00Z']);
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout)).toMatchObject({ scansDeleted: 0, auditHead: { day: '2026-11-24', published: true } });

    const store = openStore(url);
    await store.db.updateTable('audit_log').set({ reason: 'no reason' }).where('seq', '=', 3).execute();
    await store.close();
    const broken = await cli(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('entry 3');
    expect(JSON.parse(broken.stdout).break).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
  }, 120_000);
});
