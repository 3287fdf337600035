import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { runDueTransitions } from '../status/jobs.ts';

const DAY = 86_400_000;

describe.each(DIALECTS)('two-person overrides on %s', (dialect) => {
  let t: TestApp;
  let officialA: TestStaff;
  let officialB: TestStaff;
  let supervisor1: TestStaff;
  let supervisor2: TestStaff;
  let auditor: TestStaff;
  let operator: TestStaff;
  beforeAll(async () => {
    // sessions outlast the week the first override runs for
    t = await makeTestApp({ dialect, config: { overrideAlarmPerHour: 3, overrideBatchAlarm: 3, sessionHours: 720 } });
    officialA = await staffMember(t, 'official');
    officialB = await staffMember(t, 'official');
    supervisor1 = await staffMember(t, 'supervisor');
    supervisor2 = await staffMember(t, 'supervisor');
    auditor = await staffMember(t, 'auditor');
    operator = await staffMember(t, 'checkpoint_operator');
  });
  afterAll(async () => {
    await t.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  /** A holder with health facts on record (a declaration with a symptom: yellow). */
  async function sickHolder(over: { region?: string } = {}) {
    const h = await registerHolder(t.app, over);
    const d = await inject('POST', '/api/holder/declarations', h.cookie, { symptoms: ['cough'], placesVisited: [] });
    expect(d.json().assessment.colour).toBe('yellow');
    return h;
  }

  const propose = (by: TestStaff, holderId: string, over: Record<string, unknown> = {}) =>
    inject('POST', '/api/official/overrides', by.cookie, {
      holderId,
      colour: 'red',
      reasonCode: 'positive_test_not_yet_recorded',
      note: 'PCR positive at the county hospital, result not yet uploaded',
      until: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
      ...over,
    });

  it('needs a proposing official and a different approving supervisor; then it sets the colour, is shown to the holder, and expires by itself', async () => {
    const h = await sickHolder();
    const p = await propose(officialA, h.holder.id);
    expect(p.statusCode).toBe(201);
    const o = p.json().override;
    expect(o).toMatchObject({ status: 'proposed', proposedBy: officialA.id, inForce: false, flags: [] });
    // proposing alone changes nothing
    expect((await inject('GET', '/api/holder/status', h.cookie)).json().assessment.colour).toBe('yellow');
    // an official cannot approve, nor can the proposer
    expect((await inject('POST', `/api/official/overrides/${o.id}/approve`, officialB.cookie, {})).statusCode).toBe(403);
    const selfProposed = (await propose(supervisor1, h.holder.id, { colour: 'yellow', reasonCode: 'clinical_assessment' })).json().override;
    const self = await inject('POST', `/api/official/overrides/${selfProposed.id}/approve`, supervisor1.cookie, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('self_approval');
    await inject('POST', `/api/official/overrides/${selfProposed.id}/reject`, supervisor2.cookie, { note: 'one override at a time, thank you' });

    const approved = await inject('POST', `/api/official/overrides/${o.id}/approve`, supervisor1.cookie, { note: 'confirmed with the hospital lab' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().override).toMatchObject({ status: 'approved', decidedBy: supervisor1.id, inForce: true });
    expect((await inject('POST', `/api/official/overrides/${o.id}/approve`, supervisor2.cookie, {})).json().error.code).toBe('override_not_pending');

    // the holder sees the colour, the reason first, and the override itself with pseudonyms of the officials
    const status = (await inject('GET', '/api/holder/status', h.cookie)).json().assessment;
    expect(status.colour).toBe('red');
    expect(status.reasons[0]).toMatchObject({ ruleId: 'override', colour: 'red', until: o.until });
    expect(status.reasons[0].text.en).toContain('PCR positive at the county hospital');
    const mine = (await inject('GET', '/api/holder/overrides', h.cookie)).json().overrides;
    const shown = mine.find((x: { id: string }) => x.id === o.id);
    expect(shown).toMatchObject({ status: 'approved', reasonCode: 'positive_test_not_yet_recorded', until: o.until, inForce: true });
    expect(shown.reasonText).toMatch(/positive PCR/);
    expect(shown.proposedBy).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(JSON.stringify(mine)).not.toContain(officialA.id);
    const history = (await inject('GET', '/api/holder/history', h.cookie)).json().events;
    expect(history[0]).toMatchObject({ from: 'yellow', to: 'red', cause: { kind: 'override', ref: o.id } });
    const log = (await inject('GET', '/api/holder/access-log', h.cookie)).json().entries;
    expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['override.propose', 'override.approve']));

    // transparency: counted, in force
    const pub = (await t.app.inject('/api/public/transparency')).json();
    expect(pub.overrides.inForce).toBeGreaterThanOrEqual(1);
    expect(pub.overrides.byReasonCode.positive_test_not_yet_recorded).toBeGreaterThanOrEqual(1);

    // it ends by itself: the scheduler's due transition after `until`
    t.clock.set(new Date(Date.parse(o.until) + 1000));
    await runDueTransitions(t.deps.store.db, { now: t.clock.now(), random: t.deps.random, rules: t.deps.rules });
    const after = (await inject('GET', '/api/holder/status', h.cookie)).json().assessment;
    expect(after.reasons.some((r: { ruleId: string }) => r.ruleId === 'override')).toBe(false);
    const expired = (await inject('GET', '/api/holder/overrides', h.cookie)).json().overrides.find((x: { id: string }) => x.id === o.id);
    expect(expired).toMatchObject({ status: 'expired', inForce: false });
    const events = (await inject('GET', '/api/holder/history', h.cookie)).json().events;
    expect(events[0]).toMatchObject({ from: 'red', cause: { kind: 'time' } });
  });

  it('the store itself refuses an approval by the proposer', async () => {
    const h = await sickHolder();
    const o = (await propose(officialA, h.holder.id)).json().override;
    await expect(
      t.deps.store.db.updateTable('overrides').set({ status: 'approved', approved_by: officialA.id, decided_by: officialA.id, decided_at: 1 }).where('id', '=', o.id).execute(),
    ).rejects.toThrow();
    await expect(t.deps.store.db.updateTable('overrides').set({ status: 'approved' }).where('id', '=', o.id).execute()).rejects.toThrow();
  });

  it.each([
    ['more than 14 days', { until: 'P15D' }, 422, 'override_too_long'],
    ['an end in the past', { until: '-P1D' }, 400, 'invalid_date'],
    ['a colour the reason cannot justify', { colour: 'green', reasonCode: 'positive_test_not_yet_recorded' }, 422, 'override_colour_not_allowed'],
    ['a reason outside the closed list', { reasonCode: 'unpaid_bank_deposit' }, 400, 'invalid_request'],
    ['grey', { colour: 'grey' }, 400, 'invalid_request'],
    ['no note', { note: '' }, 400, 'invalid_request'],
    ['an unknown holder', { holderId: 'no-such-holder' }, 404, 'not_found'],
  ] as [string, Record<string, unknown>, number, string][])('refuses %s and stores nothing', async (_name, over, status, code) => {
    const h = await sickHolder();
    const body: Record<string, unknown> = { ...over };
    if (over.until === 'P15D') body.until = new Date(t.clock.now().getTime() + 15 * DAY).toISOString();
    if (over.until === '-P1D') body.until = new Date(t.clock.now().getTime() - DAY).toISOString();
    const res = await propose(officialA, h.holder.id, body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    const rows = await t.deps.store.db.selectFrom('overrides').select('id').where('holder_id', '=', h.holder.id).execute();
    expect(rows).toHaveLength(0);
  });

  describe('alarms to auditors', () => {
    const alarms = async () => (await inject('GET', '/api/audit/alarms', auditor.cookie)).json().alarms as { id: string; kind: string; subject: string; detail: Record<string, unknown> }[];

    it('an override on a holder with no health facts on record', async () => {
      const h = await registerHolder(t.app);
      const o = (await propose(officialB, h.holder.id)).json().override;
      expect(o.flags).toEqual(['override_without_health_facts']);
      const a = (await alarms()).find((x) => x.kind === 'override_without_health_facts' && x.detail.overrideId === o.id);
      expect(a).toMatchObject({ subject: `holder:${h.holder.id}` });
      const ack = await inject('POST', `/api/audit/alarms/${a!.id}/acknowledge`, auditor.cookie, { note: 'asked the official for the lab report' });
      expect(ack.json().alarm.acknowledged).toMatchObject({ by: auditor.id });
    });

    it('a batch targeting people by a shared region, and one by a shared venue', async () => {
      const region = 'CN-LX-05';
      const hs = [await sickHolder({ region }), await sickHolder({ region }), await sickHolder({ region })];
      const flags: string[][] = [];
      for (const h of hs) flags.push((await propose(officialB, h.holder.id, { colour: 'yellow', reasonCode: 'clinical_assessment' })).json().override.flags);
      expect(flags[0]).not.toContain('override_batch');
      expect(flags[2]).toContain('override_batch');
      const a = (await alarms()).find((x) => x.kind === 'override_batch' && x.subject === `region:${region}`);
      expect(a!.detail).toMatchObject({ shared: 'region', value: region, holders: 3 });

      // three holders of three other regions, all scanned at the same venue
      const others = [await sickHolder({ region: 'CN-LX-02' }), await sickHolder({ region: 'CN-LX-03' }), await sickHolder({ region: 'CN-LX-04' })];
      for (const h of others) {
        const code = (await inject('GET', '/api/holder/code', h.cookie)).json().token;
        const s = await inject('POST', '/api/checkpoint/scans', operator.cookie, { eventId: crypto.randomUUID(), venueId: VENUE_ID, code, scannedAt: t.clock.now().toISOString(), mode: 'camera' });
        expect(s.statusCode).toBe(201);
      }
      for (const h of others) await propose(officialA, h.holder.id, { colour: 'yellow', reasonCode: 'clinical_assessment' });
      const v = (await alarms()).find((x) => x.kind === 'override_batch' && x.subject === `venue:${VENUE_ID}`);
      expect(v!.detail).toMatchObject({ shared: 'venue', value: VENUE_ID });
      expect(Number(v!.detail.holders)).toBeGreaterThanOrEqual(3);
      const pub = (await t.app.inject('/api/public/transparency')).json();
      expect(pub.alarms.override_batch).toBeGreaterThanOrEqual(2);
      expect(pub.overrides.flagged).toBeGreaterThanOrEqual(2);
    });

    it('more than N overrides by one official within an hour', async () => {
      const busy = await staffMember(t, 'official');
      t.clock.advance(2 * 3_600_000);
      const flags: string[][] = [];
      for (let i = 0; i < 4; i++) flags.push((await propose(busy, (await sickHolder()).holder.id, { colour: 'yellow', reasonCode: 'clinical_assessment' })).json().override.flags);
      expect(flags.slice(0, 3).some((f) => f.includes('override_rate'))).toBe(false);
      expect(flags[3]).toContain('override_rate');
      const a = (await alarms()).find((x) => x.kind === 'override_rate' && x.subject === `staff:${busy.id}`);
      expect(a!.detail).toMatchObject({ inLastHour: 4, limit: 3 });
    });
  });
});
