import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, VENUE_ID, OTHER_VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { createSession } from '../auth/sessions.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertStaff } from '../staff/repository.ts';
import { runDueTransitions } from '../status/jobs.ts';
import { dispatchOutbox, type NotificationSender } from '../notifications/dispatcher.ts';

const M = 60_000;
const DAY = 86_400_000;

describe.each(DIALECTS)('cases, tracing, risk areas and notifications on %s', (dialect) => {
  let t: TestApp;
  let official: string;
  const T = Date.parse('2026-11-23T08:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    const db = t.deps.store.db;
    await insertStaff(db, { id: 'staff-official-1', username: 'official-t', display_name: 'Official', role: 'official', password_hash: await hashPassword('x-unused-password'), created_at: T } as never);
    const s = await createSession(db, 'staff', 'staff-official-1', t.clock.now(), 24 * 30, t.deps.random);
    official = `hc_staff=${s.token}`;
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.deps.store.db;
  const officialPost = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: official, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  async function scan(holderId: string, venueId: string, at: number, direction: 'in' | 'out' | null = null) {
    await db()
      .insertInto('scans')
      .values({
        event_id: crypto.randomUUID(),
        venue_id: venueId,
        operator_id: 'staff-op-1',
        holder_id: holderId,
        code_id: null,
        scanned_at: at,
        received_at: at,
        mode: 'camera',
        direction,
        temperature_c: null,
        verdict_ok: 1,
        verdict_error: null,
        verdict_colour: 'green',
        verdict: '{}',
        fingerprint: crypto.randomUUID(),
      })
      .execute();
    await db().insertInto('scan_event_ids').values({ event_id: crypto.randomUUID(), scanned_at: at }).execute();
  }

  const fhirBundle = (idNumber: string, obsId: string, result: 'positive' | 'negative', sampled: string, code = '94500-6') => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', identifier: [{ system: 'urn:healthcode:id', value: idNumber }] } },
      {
        resource: {
          resourceType: 'Observation',
          id: obsId,
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code }] },
          subject: { reference: 'urn:uuid:p1' },
          effectiveDateTime: sampled,
          issued: '2026-11-23T07:00:00Z',
          performer: [{ display: 'Lanxi CDC lab' }],
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: result === 'positive' ? '260373001' : '260415000' }] },
        },
      },
    ],
  });

  it('a FHIR positive PCR confirms the case (red), traces it, and turns the right people red and yellow with place-and-time reasons and inbox messages', async () => {
    const a = await registerHolder(t.app); // the case
    const b = await registerHolder(t.app); // 40 minutes together: close
    const c = await registerHolder(t.app); // arrives 20 minutes after the case left: secondary
    const d = await registerHolder(t.app); // another venue: nothing
    const e = await registerHolder(t.app); // 5 minutes together: secondary
    const visit = T - 1 * DAY; // yesterday, 08:00 UTC
    await scan(a.holder.id, VENUE_ID, visit, 'in');
    await scan(a.holder.id, VENUE_ID, visit + 60 * M, 'out');
    await scan(b.holder.id, VENUE_ID, visit + 20 * M);
    await scan(c.holder.id, VENUE_ID, visit + 80 * M);
    await scan(d.holder.id, OTHER_VENUE_ID, visit + 10 * M);
    await scan(e.holder.id, VENUE_ID, visit + 55 * M, 'in');
    await scan(e.holder.id, VENUE_ID, visit + 75 * M, 'out');

    const res = await officialPost('/api/official/lab-results/fhir', fhirBundle(a.body.idNumber, 'obs-1', 'positive', '2026-11-22T20:00:00Z'));
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ stored: 1, duplicates: 0, problems: [] });
    expect(report.casesConfirmed).toHaveLength(1);
    expect(report.traces[0]).toMatchObject({ closeContacts: 1, secondaryContacts: 2, newExposures: 3 });

    const status = async (h: { cookie: string }) => (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } })).json().assessment;
    const sa = await status(a);
    expect(sa.colour).toBe('red');
    expect(sa.reasons[0].ruleId).toBe('confirmed-case');
    const sb = await status(b);
    expect(sb.colour).toBe('red');
    expect(sb.reasons[0].ruleId).toBe('close-contact');
    expect(sb.reasons[0].text.en).toContain('at Wanbo Plaza on 2026-11-22 for 40 minutes');
    expect(JSON.stringify(sb)).not.toContain(a.holder.id);
    expect(JSON.stringify(sb)).not.toContain('Zhang'); // never who the case is
    expect((await status(c)).colour).toBe('yellow');
    expect((await status(d)).colour).toBe('green');
    expect((await status(e)).colour).toBe('yellow');

    const inbox = (await t.app.inject({ method: 'GET', url: '/api/holder/inbox', headers: { cookie: b.cookie } })).json();
    expect(inbox.unread).toBe(1);
    expect(inbox.messages[0].title.en).toBe('Your health code is now RED');
    expect(inbox.messages[0].body.en).toContain('Wanbo Plaza');
    const history = (await t.app.inject({ method: 'GET', url: '/api/holder/history', headers: { cookie: b.cookie } })).json().events;
    expect(history[0]).toMatchObject({ to: 'red', cause: { kind: 'trace_result', ref: null } });

    // the same bundle again changes nothing; re-running the trace applies nothing twice
    const again = (await officialPost('/api/official/lab-results/fhir', fhirBundle(a.body.idNumber, 'obs-1', 'positive', '2026-11-22T20:00:00Z'))).json();
    expect(again).toMatchObject({ stored: 0, duplicates: 1, casesConfirmed: [] });
    const rerun = (await officialPost(`/api/official/cases/${report.casesConfirmed[0]}/trace`, {})).json();
    expect(rerun.newExposures).toBe(0);
    expect(rerun.contacts).toHaveLength(3);
    const events = await db().selectFrom('status_events').select('id').where('holder_id', '=', b.holder.id).execute();
    expect(events).toHaveLength(2); // registration, and red once

    // deliveries: the outbox holds one per colour change, and the dispatcher retries a failing sender
    const pending = await db().selectFrom('outbox').selectAll().where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThanOrEqual(4);
    let fail = true;
    const flaky: NotificationSender = {
      channel: 'sms',
      async send() {
        if (fail) throw new Error('gateway down');
      },
    };
    const first = await dispatchOutbox(db(), [flaky], t.clock.now());
    expect(first.retried).toBe(pending.length);
    expect(await dispatchOutbox(db(), [flaky], t.clock.now())).toMatchObject({ sent: 0, retried: 0 }); // backed off
    fail = false;
    const later = await dispatchOutbox(db(), [flaky], new Date(t.clock.now().getTime() + 60_000));
    expect(later.sent).toBe(pending.length);
    const left = await db().selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
    expect(left).toEqual([]);
  });

  it('reports bad FHIR entries with their index and reason, and stores the good ones', async () => {
    const h = await registerHolder(t.app);
    const good = fhirBundle(h.body.idNumber, 'obs-good', 'negative', '2026-11-22T09:00:00Z');
    const bundle = {
      ...good,
      entry: [
        ...good.entry,
        { resource: { resourceType: 'Condition', id: 'x' } },
        { resource: { ...good.entry[1]!.resource, id: 'obs-loinc', code: { coding: [{ system: 'http://loinc.org', code: '12345-6' }] } } },
        { resource: { ...good.entry[1]!.resource, id: 'obs-date', effectiveDateTime: '2026-11-22' } },
        { resource: { ...good.entry[1]!.resource, id: 'obs-noid', subject: {} } },
        { resource: { ...good.entry[1]!.resource, id: 'obs-future', effectiveDateTime: '2027-01-01T00:00:00Z' } },
        { resource: { ...good.entry[1]!.resource, id: 'obs-stranger', subject: { identifier: { value: 'ZZ99999999' } } } },
      ],
    };
    const r = (await officialPost('/api/official/lab-results/fhir', bundle)).json();
    expect(r.stored).toBe(1);
    expect(r.problems.map((p: { at: string }) => p.at)).toEqual(['entry[2]', 'entry[3]', 'entry[4]', 'entry[5]', 'entry[6]', 'entry[7]']);
    expect(r.problems[1].reason).toContain('unknown test code');
    expect(r.problems[5].reason).toContain('no holder');
    const notBundle = await officialPost('/api/official/lab-results/fhir', { resourceType: 'Patient' });
    expect(notBundle.statusCode).toBe(400);
  });

  it('an antigen positive is recorded and shown but does not confirm a case; a case for a non-PCR result is refused', async () => {
    const h = await registerHolder(t.app);
    const r = (await officialPost('/api/official/lab-results', { idNumber: h.body.idNumber, kind: 'antigen', result: 'positive', sampledAt: '2026-11-23T06:00:00Z', lab: 'clinic' })).json();
    expect(r.casesConfirmed).toEqual([]);
    const s = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } })).json();
    expect(s.assessment.colour).toBe('green');
    const refused = await officialPost('/api/official/cases', { labResultId: r.storedIds[0] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('not_a_case');
    const unknown = await officialPost('/api/official/lab-results', { idNumber: 'XX00000000', kind: 'pcr', result: 'positive', sampledAt: '2026-11-23T06:00:00Z', lab: 'clinic' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('unknown_holder');
  });

  it('a holder uploads a result; it counts only after an official verifies it', async () => {
    const h = await registerHolder(t.app);
    const up = await t.app.inject({ method: 'POST', url: '/api/holder/lab-results', headers: { cookie: h.cookie }, payload: { kind: 'pcr', result: 'positive', sampledAt: '2026-11-23T06:00:00Z', lab: 'private clinic' } });
    expect(up.statusCode).toBe(201);
    expect(up.json().review).toBe('pending');
    const s1 = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } })).json();
    expect(s1.assessment.colour).toBe('green');
    const rev = await officialPost(`/api/official/lab-results/${up.json().id}/review`, { decision: 'verified' });
    expect(rev.statusCode).toBe(200);
    expect(rev.json().casesConfirmed).toHaveLength(1);
    const s2 = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } })).json();
    expect(s2.assessment.colour).toBe('red');
    const twice = await officialPost(`/api/official/lab-results/${up.json().id}/review`, { decision: 'rejected' });
    expect(twice.statusCode).toBe(409);
  });

  it('a risk area turns those who scanned there yellow with the area named, and lifts itself after 5 clean days', async () => {
    const h = await registerHolder(t.app);
    const other = await registerHolder(t.app);
    await scan(h.holder.id, OTHER_VENUE_ID, T - 2 * 3_600_000);
    await scan(other.holder.id, OTHER_VENUE_ID, T - 5 * DAY); // before the area started
    const res = await officialPost('/api/official/risk-areas', { venueIds: [OTHER_VENUE_ID], level: 'high', startsAt: new Date(T - 3 * DAY).toISOString(), reason: 'cluster at RT-Mart' });
    expect(res.statusCode).toBe(201);
    const area = res.json().area;
    const s = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: h.cookie } })).json().assessment;
    expect(s.colour).toBe('yellow');
    expect(s.reasons[0]).toMatchObject({ ruleId: 'high-risk-area' });
    expect(s.reasons[0].text.en).toContain('RT-Mart Old Town');
    expect((await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: other.cookie } })).json().assessment.colour).toBe('green');
    const pub = (await t.app.inject('/api/public/risk-areas')).json().areas;
    expect(pub.find((a: { id: string }) => a.id === area.id)).toMatchObject({ active: true, level: 'high' });

    const { liftCleanAreas } = await import('../risk-areas/service.ts');
    const ctx = (now: number) => ({ now: new Date(now), random: t.deps.random, rules: t.deps.rules });
    expect(await liftCleanAreas(db(), ctx(T + 2 * DAY - 1))).toEqual([]); // started 3 days ago: 5 clean days end at T + 2 days
    expect(await liftCleanAreas(db(), ctx(T + 2 * DAY))).toEqual([area.id]);
    expect(await liftCleanAreas(db(), ctx(T + 2 * DAY))).toEqual([]);
    const lifted = (await t.app.inject('/api/public/risk-areas')).json().areas.find((a: { id: string }) => a.id === area.id);
    expect(lifted).toMatchObject({ endsAt: new Date(T + 2 * DAY).toISOString(), liftedReason: 'clean_days' });
    await runDueTransitions(db(), { ...ctx(T + 2 * DAY) });
  });

  it('bad risk areas are refused: both region and venues, unknown venues', async () => {
    expect((await officialPost('/api/official/risk-areas', { region: 'CN-LX-01', venueIds: [VENUE_ID], level: 'high', startsAt: new Date(T).toISOString(), reason: 'x y z' })).statusCode).toBe(400);
    const unknown = await officialPost('/api/official/risk-areas', { venueIds: ['V9999'], level: 'high', startsAt: new Date(T).toISOString(), reason: 'x y z' });
    expect(unknown.statusCode).toBe(404);
  });

  it('official routes need an official', async () => {
    const h = await registerHolder(t.app);
    const asHolder = await t.app.inject({ method: 'POST', url: '/api/official/risk-areas', headers: { cookie: h.cookie }, payload: {} });
    expect([401, 403]).toContain(asHolder.statusCode);
    expect((await t.app.inject({ method: 'POST', url: '/api/official/lab-results', payload: {} })).statusCode).toBe(401);
  });
});
