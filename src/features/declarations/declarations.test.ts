import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';

describe.each(DIALECTS)('declarations and assessment on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    await t.deps.store.db
      .insertInto('risk_areas')
      .values({ id: 'ra-03', region: 'CN-LX-03', level: 'high', starts_at: Date.parse('2026-11-15T00:00:00+08:00'), ends_at: null, reason: 'cluster', created_at: 0, declared_by: 'official1' })
      .execute();
  });
  afterAll(async () => {
    await t.close();
  });

  const declare = (cookie: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie }, payload });

  it('symptoms turn the holder yellow with the reason in both languages and a valid-until', async () => {
    const { cookie } = await registerHolder(t.app);
    const res = await declare(cookie, { symptoms: ['fever', 'cough'], temperatureC: 38.2, placesVisited: [] });
    expect(res.statusCode).toBe(201);
    const { declaration, assessment } = res.json();
    expect(declaration).toMatchObject({ symptoms: ['fever', 'cough'], temperatureC: 38.2, declaredAt: '2026-11-23T08:00:00.000Z' });
    expect(assessment.colour).toBe('yellow');
    expect(assessment.reasons).toHaveLength(1);
    expect(assessment.reasons[0]).toMatchObject({ ruleId: 'symptoms-declared', since: '2026-11-23T08:00:00.000Z' });
    expect(assessment.reasons[0].text.en).toContain('fever');
    expect(assessment.reasons[0].text['zh-CN']).toContain('发热');
    expect(assessment.reasons[0].facts[0]).toMatchObject({ kind: 'declaration', id: declaration.id });
    const status = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie } });
    expect(status.json().assessment).toMatchObject({ colour: 'yellow', id: assessment.id });
    const list = await t.app.inject({ method: 'GET', url: '/api/holder/declarations', headers: { cookie } });
    expect(list.json().declarations.map((d: { id: string }) => d.id)).toEqual([declaration.id]);
  });

  it('a stay in a high-risk area turns yellow and names the area; another district stays green', async () => {
    const { cookie } = await registerHolder(t.app);
    const yellow = await declare(cookie, { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: '2026-11-20', to: '2026-11-21' }] });
    expect(yellow.json().assessment.colour).toBe('yellow');
    expect(yellow.json().assessment.reasons[0].ruleId).toBe('high-risk-area');
    expect(yellow.json().assessment.reasons[0].text.en).toContain('CN-LX-03');
    expect(yellow.json().assessment.reasons[0].facts[0]).toMatchObject({ kind: 'risk_area_stay' });
    const other = await registerHolder(t.app);
    const green = await declare(other.cookie, { symptoms: [], placesVisited: [{ region: 'CN-LX-04', from: '2026-11-20', to: '2026-11-21' }] });
    expect(green.json().assessment.colour).toBe('green');
  });

  it('the yellow ends after 7 days with a check-in every day; the status re-assesses when the assessment runs out', async () => {
    const { cookie } = await registerHolder(t.app); // sessions last 30 days in this suite
    const login = async () => cookie;
    await declare(await login(), { symptoms: ['cough'], placesVisited: [] });
    try {
      for (let d = 0; d < 7; d++) {
        t.clock.set(new Date(Date.parse('2026-11-23T08:00:00.000Z') + d * 86_400_000));
        const c = await t.app.inject({ method: 'POST', url: '/api/holder/check-ins', headers: { cookie: await login() }, payload: {} });
        expect(c.statusCode).toBe(201);
      }
      t.clock.set(new Date(Date.parse('2026-11-23T08:00:00.000Z') + 7 * 86_400_000 - 1));
      const before = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: await login() } });
      expect(before.json().assessment.colour).toBe('yellow');
      t.clock.advance(1);
      const status = await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: await login() } });
      expect(status.json().assessment.colour).toBe('green');
      expect(status.json().assessment.reasons).toEqual([]);
    } finally {
      t.clock.set('2026-11-23T08:00:00.000Z');
    }
  });

  it.each([
    ['an unknown symptom', { symptoms: ['sneezing'], placesVisited: [] }, 'invalid_request'],
    ['a temperature out of range', { symptoms: [], temperatureC: 52, placesVisited: [] }, 'invalid_request'],
    ['a date that is not a date', { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: '2026-11-31', to: '2026-11-31' }] }, 'invalid_date'],
    ['a stay in the future', { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: '2026-11-22', to: '2026-11-25' }] }, 'invalid_date'],
    ['from after to', { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: '2026-11-21', to: '2026-11-20' }] }, 'invalid_date'],
    ['a stay older than 14 days', { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: '2026-10-01', to: '2026-10-02' }] }, 'invalid_date'],
    ['a non-health field', { symptoms: [], placesVisited: [], employer: 'bank' }, 'invalid_request'],
  ])('rejects %s and stores nothing', async (_name, payload, code) => {
    const { cookie, holder } = await registerHolder(t.app);
    const res = await declare(cookie, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    const rows = await t.deps.store.db.selectFrom('declarations').select('id').where('holder_id', '=', holder.id).execute();
    expect(rows).toEqual([]);
  });
});
