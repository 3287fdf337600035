import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RulesetError } from '../../core/rules/ruleset.ts';
import { DomainError } from '../../errors.ts';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, REPO_ROOT, type TestApp } from '../../../test/support/app.ts';
import { reassess } from '../assessments/service.ts';
import { getHolder } from '../holders/service.ts';
import { loadRuleBook } from '../rules/book.ts';
import { dryRun, publishRuleset } from '../rules/service.ts';
import { applyRulesetInForce, runDueTransitions } from './jobs.ts';

const DAY = 86_400_000;
const DEFAULT_DOC = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'rulesets', '2026.11.1.json'), 'utf8')) as Record<string, unknown> & {
  parameters: Record<string, unknown>;
};

describe.each(DIALECTS)('colour lifecycle on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    // long sessions: these tests move the clock by days
    t = await makeTestApp({ dialect, now: '2026-11-23T02:00:00.000Z', config: { sessionHours: 24 * 30 } });
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.deps.store.db;
  const ctx = () => ({ rules: t.deps.rules, now: t.clock.now(), random: t.deps.random });

  async function holder() {
    const h = await registerHolder(t.app);
    const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: { cookie: h.cookie } })).json();
    const post = async (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie: h.cookie }, payload });
    return { ...h, get, post };
  }

  it('registration is the first event; symptoms turn yellow with the way back to green', async () => {
    const h = await holder();
    const res = await h.post('/api/holder/declarations', { symptoms: ['cough'], placesVisited: [] });
    const { assessment } = res.json();
    expect(assessment.colour).toBe('yellow');
    const reason = assessment.reasons[0];
    expect(reason.ruleId).toBe('symptoms-declared');
    expect(reason.since).toBe('2026-11-23T02:00:00.000Z');
    expect(reason.wayToGreen).toHaveLength(2);
    expect(reason.wayToGreen[0].requirements.map((r: { kind: string }) => r.kind)).toEqual(['elapsed', 'checkIns']);
    expect(reason.wayToGreen[0].requirements[0]).toMatchObject({ due: '2026-11-30T02:00:00.000Z', done: false });
    expect(reason.wayToGreen[1].requirements[0]).toMatchObject({ kind: 'negativePcrs', due: null, done: false, have: 0, need: 2 });
    const history = (await h.get('/api/holder/history')).events;
    expect(history.map((e: { from: string | null; to: string; cause: { kind: string } }) => [e.from, e.to, e.cause.kind])).toEqual([
      ['green', 'yellow', 'declaration'],
      [null, 'green', 'registration'],
    ]);
  });

  it('one check-in per calendar date counts; a second the same day is a duplicate', async () => {
    const h = await holder();
    const first = await h.post('/api/holder/check-ins', { temperatureC: 36.5 });
    expect(first.statusCode).toBe(201);
    expect(first.json().checkIn.localDate).toBe('2026-11-23');
    const second = await h.post('/api/holder/check-ins', {});
    expect(second.statusCode).toBe(200);
    expect(second.json().status).toBe('duplicate');
    expect((await h.get('/api/holder/check-ins')).checkIns).toHaveLength(1);
    const bad = await h.post('/api/holder/check-ins', { temperatureC: 99 });
    expect(bad.statusCode).toBe(400);
  });

  it('yellow → green by time and daily check-ins, applied by the scheduler job with "time" as the cause; running it twice changes nothing', async () => {
    const h = await holder();
    await h.post('/api/holder/declarations', { symptoms: ['fever'], placesVisited: [] });
    const start = t.clock.now().getTime();
    try {
      for (let d = 0; d < 7; d++) {
        t.clock.set(new Date(start + d * DAY));
        expect((await h.post('/api/holder/check-ins', {})).statusCode).toBe(201);
      }
      t.clock.set(new Date(start + 7 * DAY - 1000));
      expect((await h.get('/api/holder/status')).assessment.colour).toBe('yellow');
      t.clock.set(new Date(start + 7 * DAY));
      const report = await runDueTransitions(db(), ctx());
      expect(report.colourChanges).toBeGreaterThanOrEqual(1);
      const again = await runDueTransitions(db(), ctx());
      expect(again.recorded).toBe(0);
      const status = await db().selectFrom('holder_status').selectAll().where('holder_id', '=', h.holder.id).executeTakeFirstOrThrow();
      expect(status.colour).toBe('green');
      const events = (await h.get('/api/holder/history')).events;
      expect(events[0]).toMatchObject({ from: 'yellow', to: 'green', cause: { kind: 'time' } });
    } finally {
      t.clock.set('2026-11-23T02:00:00.000Z');
    }
  });

  it('a yellow holder who misses 3 whole days of check-ins turns grey, and a check-in restores yellow', async () => {
    const h = await holder();
    await h.post('/api/holder/declarations', { symptoms: ['cough'], placesVisited: [] });
    const start = t.clock.now().getTime();
    try {
      // declared on 11-23 (Shanghai); no check-ins on 11-24, 11-25, 11-26 → grey on 11-27
      t.clock.set(new Date(start + 3 * DAY));
      await runDueTransitions(db(), ctx());
      expect((await h.get('/api/holder/status')).assessment.colour).toBe('yellow');
      t.clock.set(new Date(start + 4 * DAY));
      await runDueTransitions(db(), ctx());
      const grey = (await h.get('/api/holder/status')).assessment;
      expect(grey.colour).toBe('grey');
      expect(grey.reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(['missed-check-ins', 'symptoms-declared']);
      expect(grey.reasons[0].text.en).toContain('2026-11-24, 2026-11-25, 2026-11-26');
      const back = await h.post('/api/holder/check-ins', {});
      expect(back.json().assessment.colour).toBe('yellow');
      const events = (await h.get('/api/holder/history')).events;
      expect(events.slice(0, 2).map((e: { to: string; cause: { kind: string } }) => [e.to, e.cause.kind])).toEqual([
        ['yellow', 'check_in'],
        ['grey', 'time'],
      ]);
    } finally {
      t.clock.set('2026-11-23T02:00:00.000Z');
    }
  });

  it('a verified positive PCR turns red; an official discharge ends it', async () => {
    const h = await holder();
    const now = t.clock.now().getTime();
    await db()
      .insertInto('lab_results')
      .values({ id: `lab-${h.holder.id}`, holder_id: h.holder.id, kind: 'pcr', result: 'positive', sampled_at: now - DAY, reported_at: now, verified: 1, lab: 'Lanxi CDC', source: 'official', created_at: now, external_id: null, review: 'verified' })
      .execute();
    const red = await reassess(db(), await getHolder(db(), h.holder.id), ctx(), { kind: 'lab_result', ref: `lab-${h.holder.id}` });
    expect(red.colour).toBe('red');
    expect(red.reasons[0]!.ruleId).toBe('confirmed-case');
    await db().insertInto('discharges').values({ id: `dis-${h.holder.id}`, holder_id: h.holder.id, at: now + 1000, official_id: 'official1', reason: 'recovered' }).execute();
    try {
      t.clock.set(new Date(now + 2000));
      const green = await reassess(db(), await getHolder(db(), h.holder.id), ctx(), { kind: 'discharge', ref: `dis-${h.holder.id}` });
      expect(green.colour).toBe('green');
    } finally {
      t.clock.set('2026-11-23T02:00:00.000Z');
    }
  });

  describe('publishing rules', () => {
    const candidate = (version: string, yellowDays: number) => ({ ...DEFAULT_DOC, version, parameters: { ...DEFAULT_DOC.parameters, yellowDays } });

    it('serves the ruleset in force and the history', async () => {
      const res = await t.app.inject('/api/public/rules');
      expect(res.json()).toMatchObject({ version: '2026.11.1', state: 'in_force', emergency: false });
      expect(res.json().document.rules.map((r: { id: string }) => r.id)).toContain('close-contact');
      const one = await t.app.inject('/api/public/rules/2026.11.1');
      expect(one.json().version).toBe('2026.11.1');
      expect((await t.app.inject('/api/public/rules/0.0.0')).statusCode).toBe(404);
    });

    it('refuses less than 48 h notice, a duplicate version, and an invalid ruleset — the ruleset in force is untouched', async () => {
      const now = t.clock.now();
      const soon = new Date(now.getTime() + 47 * 3_600_000);
      await expect(publishRuleset(db(), t.deps.rules, { document: candidate('2026.12.0', 5), effective: soon, emergency: false, publishedBy: 't' }, now)).rejects.toMatchObject({
        code: 'insufficient_notice',
      });
      await expect(
        publishRuleset(db(), t.deps.rules, { document: { ...candidate('2026.12.0', 5), version: '2026.11.1' }, effective: new Date(now.getTime() + 3 * DAY), emergency: false, publishedBy: 't' }, now),
      ).rejects.toBeInstanceOf(DomainError);
      const broken = candidate('2026.12.1', 5) as unknown as Record<string, unknown> & { rules: { id: string; when: unknown }[] };
      broken.rules = (DEFAULT_DOC.rules as { id: string; when: unknown }[]).map((r) => (r.id === 'close-contact' ? { ...r, when: { frob: [1] } } : r));
      const err = await publishRuleset(db(), t.deps.rules, { document: broken, effective: new Date(now.getTime() + 3 * DAY), emergency: false, publishedBy: 't' }, now).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RulesetError);
      expect((err as RulesetError).ruleId).toBe('close-contact');
      expect((err as RulesetError).field).toBe('when');
      const rows = await db().selectFrom('rulesets').select('version').execute();
      expect(rows.map((r) => r.version)).toEqual(['2026.11.1']);
    });

    it('a dry run counts who would change; at the effective time everyone is re-assessed once, with the rule change as the cause', async () => {
      // a holder yellow since 6 days: green under yellowDays 5, still yellow under 7
      const start = t.clock.now().getTime();
      const h = await holder();
      try {
        t.clock.set(new Date(start - 6 * DAY));
        await h.post('/api/holder/declarations', { symptoms: ['fatigue'], placesVisited: [] });
        for (let d = 6; d >= 0; d--) {
          t.clock.set(new Date(start - d * DAY));
          await h.post('/api/holder/check-ins', {});
        }
        t.clock.set(new Date(start));
        await applyRulesetInForce(db(), ctx()); // the bundled ruleset, applied once
        const doc = candidate('2026.12.0', 5);
        const effective = new Date(start + 2 * DAY);
        const report = await dryRun(db(), t.deps.rules, (await import('../../core/rules/ruleset.ts')).parseRuleset(doc), t.clock.now());
        expect(report.changes['yellow→green']).toBeGreaterThanOrEqual(1);
        await publishRuleset(db(), t.deps.rules, { document: doc, effective, emergency: false, publishedBy: 'tester' }, t.clock.now());
        t.deps.rules.replaceWith(await loadRuleBook(db(), t.clock.now()));
        expect(await applyRulesetInForce(db(), ctx())).toBeNull(); // not in force yet
        const upcoming = (await t.app.inject('/api/public/rules/history')).json().rulesets[0];
        expect(upcoming).toMatchObject({ version: '2026.12.0', state: 'upcoming', noticeHours: 48, emergency: false });

        t.clock.set(effective);
        const applied = await applyRulesetInForce(db(), ctx());
        expect(applied).toMatchObject({ version: '2026.12.0' });
        expect(applied!.colourChanges).toBeGreaterThanOrEqual(1);
        expect(await applyRulesetInForce(db(), ctx())).toBeNull();
        const events = (await h.get('/api/holder/history')).events;
        expect(events[0]).toMatchObject({ to: 'green', cause: { kind: 'rule_change', ref: '2026.12.0' }, rulesetVersion: '2026.12.0' });
        expect((await t.app.inject('/api/public/rules')).json().version).toBe('2026.12.0');
      } finally {
        t.clock.set('2026-11-23T02:00:00.000Z');
      }
    });

    it('an emergency change may take effect at once and is flagged publicly', async () => {
      const now = t.clock.now();
      const base = DEFAULT_DOC;
      await publishRuleset(db(), t.deps.rules, { document: { ...base, version: '2026.11.2-emergency' }, effective: now, emergency: true, publishedBy: 'tester' }, now);
      t.deps.rules.replaceWith(await loadRuleBook(db(), now));
      const history = (await t.app.inject('/api/public/rules/history')).json().rulesets;
      expect(history.find((r: { version: string }) => r.version === '2026.11.2-emergency')).toMatchObject({ emergency: true, noticeHours: 0 });
    });
  });
});
