import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { runPurge } from '../retention/service.ts';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(2000), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(500)]);

describe.each(DIALECTS)('appeals on %s', (dialect) => {
  let t: TestApp;
  let official: TestStaff;
  let supervisor: TestStaff;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { evidenceMaxBytes: 64 * 1024, sessionHours: 720 } });
    official = await staffMember(t, 'official');
    supervisor = await staffMember(t, 'supervisor');
  });
  afterAll(async () => {
    await t.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
  const upload = (cookie: string, appealId: string, body: Buffer, type: string) =>
    t.app.inject({ method: 'POST', url: `/api/holder/appeals/${appealId}/evidence`, headers: { cookie, 'content-type': type }, payload: body });

  async function yellowHolder() {
    const h = await registerHolder(t.app);
    await inject('POST', '/api/holder/declarations', h.cookie, { symptoms: ['cough'], placesVisited: [] });
    return h;
  }

  it('end to end: appeal with evidence → official decides with a reason → override proposed → a supervisor approves → the holder is green and sees it all', async () => {
    const h = await yellowHolder();
    const filed = await inject('POST', '/api/holder/appeals', h.cookie, { text: 'The cough is chronic asthma; my doctor\'s letter is attached.' });
    expect(filed.statusCode).toBe(201);
    const appeal = filed.json().appeal;
    expect(appeal).toMatchObject({ status: 'open', colour: 'yellow', overdue: false, decision: null, evidence: [] });
    expect(Date.parse(appeal.deadlineAt) - Date.parse(appeal.filedAt)).toBe(48 * 3_600_000);
    expect((await inject('POST', '/api/holder/appeals', h.cookie, { text: 'and another one, just in case' })).json().error.code).toBe('appeal_already_open');

    const ev = await upload(h.cookie, appeal.id, PDF, 'application/pdf');
    expect(ev.statusCode).toBe(201);
    expect(ev.json().evidence).toMatchObject({ contentType: 'application/pdf', size: PDF.length, sha256: crypto.createHash('sha256').update(PDF).digest('hex') });

    const reason = encodeURIComponent('deciding the appeal');
    const list = await inject('GET', `/api/official/appeals?status=open&reason=${reason}`, official.cookie);
    const seen = list.json().appeals.find((a: { id: string }) => a.id === appeal.id);
    expect(seen.evidence).toHaveLength(1);
    const file = await inject('GET', `/api/official/appeals/${appeal.id}/evidence/${seen.evidence[0].id}?reason=${reason}`, official.cookie);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    expect(file.rawPayload.equals(PDF)).toBe(true);

    // upholding needs the override it leads to
    const bare = await inject('POST', `/api/official/appeals/${appeal.id}/decision`, official.cookie, { outcome: 'upheld', reason: 'asthma documented by the GP letter' });
    expect(bare.json().error.code).toBe('invalid_request');
    const until = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const decided = await inject('POST', `/api/official/appeals/${appeal.id}/decision`, official.cookie, {
      outcome: 'upheld',
      reason: 'asthma documented by the GP letter; the cough is not infectious',
      override: { colour: 'green', reasonCode: 'clinical_assessment', until },
    });
    expect(decided.statusCode).toBe(200);
    const d = decided.json().appeal;
    expect(d).toMatchObject({ status: 'upheld', decision: { outcome: 'upheld', decidedBy: official.id }, override: { status: 'proposed', colour: 'green', appealId: appeal.id } });
    // still yellow until a supervisor approves
    expect((await inject('GET', '/api/holder/status', h.cookie)).json().assessment.colour).toBe('yellow');
    expect((await inject('POST', `/api/official/appeals/${appeal.id}/decision`, official.cookie, { outcome: 'rejected', reason: 'changed my mind entirely' })).json().error.code).toBe('appeal_closed');
    expect((await upload(h.cookie, appeal.id, PDF, 'application/pdf')).json().error.code).toBe('appeal_closed');

    const ok = await inject('POST', `/api/official/overrides/${d.override.id}/approve`, supervisor.cookie, {});
    expect(ok.statusCode).toBe(200);
    expect((await inject('GET', '/api/holder/status', h.cookie)).json().assessment.colour).toBe('green');

    const mine = (await inject('GET', '/api/holder/appeals', h.cookie)).json().appeals[0];
    expect(mine).toMatchObject({ id: appeal.id, status: 'upheld', decision: { reason: 'asthma documented by the GP letter; the cough is not infectious' }, override: { status: 'approved', inForce: true } });
    expect(mine.decision.decidedBy).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    const log = (await inject('GET', '/api/holder/access-log', h.cookie)).json().entries;
    expect(log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'official', action: 'appeal.read', reason: 'deciding the appeal', official: mine.decision.decidedBy }),
        expect.objectContaining({ action: 'appeal.evidence.read' }),
        expect.objectContaining({ role: 'supervisor', action: 'override.approve' }),
      ]),
    );
    expect(JSON.stringify(log)).not.toContain(official.id);
  });

  it('a rejected appeal: the holder sees the written reason', async () => {
    const h = await yellowHolder();
    const a = (await inject('POST', '/api/holder/appeals', h.cookie, { text: 'I only coughed because of the dust.' })).json().appeal;
    const r = await inject('POST', `/api/official/appeals/${a.id}/decision`, official.cookie, { outcome: 'rejected', reason: 'symptoms declared yesterday; 7 days of observation apply' });
    expect(r.json().appeal).toMatchObject({ status: 'rejected', override: null });
    const mine = (await inject('GET', '/api/holder/appeals', h.cookie)).json().appeals[0];
    expect(mine.decision).toMatchObject({ outcome: 'rejected', reason: 'symptoms declared yesterday; 7 days of observation apply' });
    expect((await inject('GET', '/api/holder/status', h.cookie)).json().assessment.colour).toBe('yellow');
  });

  it('a green code has nothing to appeal', async () => {
    const h = await registerHolder(t.app);
    expect((await inject('POST', '/api/holder/appeals', h.cookie, { text: 'I would like to appeal anyway.' })).statusCode).toBe(400);
  });

  it('evidence is size-limited and type-checked by content, and nothing is stored when refused', async () => {
    const h = await yellowHolder();
    const a = (await inject('POST', '/api/holder/appeals', h.cookie, { text: 'see the attached scan of my test' })).json().appeal;
    const cases: [Buffer, string, number, string][] = [
      [PDF, 'image/png', 415, 'unsupported_media_type'],
      [Buffer.from('<script>alert(1)</script>'), 'text/html', 415, 'unsupported_media_type'],
      [Buffer.from('just text'), 'application/pdf', 415, 'unsupported_media_type'],
      [Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(70 * 1024)]), 'application/pdf', 413, 'payload_too_large'],
      [Buffer.alloc(0), 'application/pdf', 400, 'invalid_request'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await upload(h.cookie, a.id, body, type);
      expect([res.statusCode, res.json().error.code], type).toEqual([status, code]);
    }
    expect((await upload(h.cookie, a.id, PNG, 'image/png')).statusCode).toBe(201);
    const rows = await t.deps.store.db.selectFrom('appeal_evidence').select('id').where('appeal_id', '=', a.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('another holder cannot touch or see an appeal by guessing its id', async () => {
    const victim = await yellowHolder();
    const a = (await inject('POST', '/api/holder/appeals', victim.cookie, { text: 'private medical details here' })).json().appeal;
    const other = await yellowHolder();
    const guessed = await upload(other.cookie, a.id, PDF, 'application/pdf');
    const missing = await upload(other.cookie, crypto.randomUUID(), PDF, 'application/pdf');
    expect(guessed.statusCode).toBe(404);
    expect(guessed.json().error.code).toBe(missing.json().error.code);
    const theirs = (await inject('GET', '/api/holder/appeals', other.cookie)).json().appeals;
    expect(JSON.stringify(theirs)).not.toContain(a.id);
    for (const url of [`/api/official/holders/${victim.holder.id}?reason=curious%20neighbour`, `/api/official/appeals?reason=curious%20neighbour`, `/api/holder/status?holderId=${victim.holder.id}`]) {
      const res = await inject('GET', url, other.cookie);
      expect(res.body).not.toContain('private medical details');
      expect(res.body).not.toContain(victim.body.name === other.body.name ? victim.body.phone : victim.body.name);
    }
    const status = (await inject('GET', `/api/holder/status?holderId=${victim.holder.id}`, other.cookie)).json();
    expect(status.holder.id).toBe(other.holder.id);
    const exp = await inject('GET', `/api/holder/export?holderId=${victim.holder.id}`, other.cookie);
    expect(exp.body).not.toContain(victim.holder.id);
  });

  it('counts and outcomes are public; an appeal past its deadline is overdue and alarms the auditors', async () => {
    const h = await yellowHolder();
    await inject('POST', '/api/holder/appeals', h.cookie, { text: 'please look at this before the weekend' });
    const before = (await t.app.inject('/api/public/transparency')).json().appeals;
    expect(before).toMatchObject({ upheld: 1 });
    expect(before.rejected).toBeGreaterThanOrEqual(1);
    expect(before.total).toBe(before.open + before.upheld + before.rejected);
    t.clock.advance(49 * 3_600_000);
    const after = (await t.app.inject('/api/public/transparency')).json().appeals;
    expect(after.overdue).toBe(after.open);
    expect(after.overdue).toBeGreaterThanOrEqual(1);
    const r = await runPurge(t.deps.store.db, { now: t.clock.now(), scanRetentionDays: 21, config: t.deps.config, random: t.deps.random });
    expect(r.overdueAppealAlarms).toBe(after.overdue);
    const pub = (await t.app.inject('/api/public/transparency')).json();
    expect(pub.alarms.appeal_overdue).toBe(after.overdue);
  });
});
