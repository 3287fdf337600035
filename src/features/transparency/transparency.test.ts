import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { DIALECTS } from '../../../test/support/db.ts';

describe.each(DIALECTS)('the transparency page: holders by colour on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
  });
  afterAll(async () => {
    await t.close();
  });

  const transparency = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/transparency' });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('counts holders by their colour now, for anyone, without naming anybody', async () => {
    expect((await transparency()).holders).toEqual({ total: 0, byColour: { green: 0, yellow: 0, red: 0, grey: 0 } });

    const holders = [];
    for (let i = 0; i < 3; i++) holders.push(await registerHolder(t.app, { name: `Chen Transparent ${i}` }));
    const sick = holders[0]!;
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/holder/declarations',
      headers: { cookie: sick.cookie },
      payload: { symptoms: ['fever'], placesVisited: [] },
    });
    expect(declared.json().assessment.colour).toBe('yellow');

    const body = await transparency();
    expect(body.holders).toEqual({ total: 3, byColour: { green: 2, yellow: 1, red: 0, grey: 0 } });
    // the same numbers as the store's own count
    const rows = await t.deps.store.db.selectFrom('holder_status').select('colour').execute();
    expect(rows.filter((r) => r.colour === 'green')).toHaveLength(2);
    // aggregates only: no holder id, name, ID number or phone anywhere in the answer
    const text = JSON.stringify(body);
    for (const h of holders) {
      expect(text).not.toContain(h.holder.id);
      expect(text).not.toContain(h.body.name);
      expect(text).not.toContain(h.body.idNumber);
      expect(text).not.toContain(h.body.phone);
    }
    // the other sections are still there
    expect(body).toHaveProperty('auditLog.head.hash');
    expect(body).toHaveProperty('overrides.total');
    expect(body).toHaveProperty('appeals.total');
    expect(body).toHaveProperty('alarms');
  });
});
