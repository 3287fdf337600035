// The role matrix: every route × every role (and anonymous), allow or deny as the route
// declares. New routes are covered without touching this file: the list comes from the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/staff.ts';
import { ROLES, STAFF_ROLES, type Role } from './roles.ts';

/** Routes whose roles are pinned here too: changing who may call them must be deliberate. */
const PINNED: Record<string, readonly Role[]> = {
  'POST /api/official/overrides/:id/approve': ['supervisor'],
  'POST /api/official/overrides/:id/reject': ['supervisor'],
  'POST /api/official/overrides': ['official', 'supervisor'],
  'GET /api/official/holders/:holderId': ['official', 'supervisor'],
  'POST /api/official/appeals/:id/decision': ['official', 'supervisor'],
  'GET /api/audit/entries': ['auditor'],
  'GET /api/audit/verify': ['auditor'],
  'GET /api/audit/alarms': ['auditor'],
  'GET /api/holder/status': ['holder'],
  'GET /api/holder/export': ['holder'],
  'GET /api/holder/access-log': ['holder'],
  'POST /api/holder/appeals': ['holder'],
  'POST /api/checkpoint/scans': ['checkpoint_operator', 'venue_manager'],
  'POST /api/checkpoint/id-lookup': ['checkpoint_operator'],
  'POST /api/holder/venue-visits': ['holder'],
  'POST /api/console/holders/find': ['official', 'supervisor'],
  'GET /api/public/transparency': ['anonymous'],
  'POST /api/holder/login': ['anonymous'],
  'POST /api/staff/login': ['anonymous'],
};

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'no-such-id').replace(/\*$/, 'index.html');
}

describe.each(DIALECTS)('role matrix on %s', (dialect) => {
  let t: TestApp;
  const cookies = new Map<Role, string | null>();
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
    cookies.set('anonymous', null);
    const h = await registerHolder(t.app);
    cookies.set('holder', h.cookie);
    // until dependants exist (issue 9), a guardian is a holder session
    const g = await registerHolder(t.app);
    cookies.set('guardian', g.cookie);
    for (const role of STAFF_ROLES) cookies.set(role, (await staffMember(t, role)).cookie);
  });
  afterAll(async () => {
    await t.close();
  });

  it('every route declares known roles, and the pinned ones are as pinned', async () => {
    await t.app.ready();
    const table = t.app.routeRoles();
    expect(table.length).toBeGreaterThan(40);
    for (const r of table) {
      expect(r.roles.length, `${r.method} ${r.url}`).toBeGreaterThan(0);
      for (const role of r.roles) expect(ROLES).toContain(role);
    }
    for (const [key, roles] of Object.entries(PINNED)) {
      const [method, url] = key.split(' ');
      const r = table.find((x) => x.method === method && x.url === url);
      expect(r, key).toBeDefined();
      expect([...r!.roles].sort(), key).toEqual([...roles].sort());
    }
  });

  it('walks every route with every role: allowed roles get past the guard, the others get 401 or 403', async () => {
    const table = t.app.routeRoles().filter((r) => r.method !== 'HEAD');
    // log-outs end the session they are called with: last
    table.sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    const failures: string[] = [];
    let checked = 0;
    for (const r of table) {
      for (const role of ROLES) {
        const cookie = cookies.get(role);
        const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: concrete(r.url),
          headers: cookie ? { cookie } : {},
          ...(unsafe ? { payload: {} } : {}),
        });
        const code = res.headers['content-type']?.toString().includes('json') ? (res.json() as { error?: { code?: string } }).error?.code : undefined;
        const denied = (res.statusCode === 401 && code === 'unauthenticated') || (res.statusCode === 403 && code === 'forbidden');
        // a guardian is a holder too (for their own record): holder routes admit them
        const acting: readonly Role[] = role === 'guardian' ? ['guardian', 'holder'] : [role];
        const allowed = r.roles.includes('anonymous') || acting.some((a) => r.roles.includes(a));
        if (allowed === denied) failures.push(`${r.method} ${r.url} as ${role}: ${res.statusCode} ${code ?? ''} (declared ${r.roles.join(',')})`);
        if (!allowed && role === 'anonymous' && res.statusCode !== 401) failures.push(`${r.method} ${r.url} as anonymous: ${res.statusCode}, want 401`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(table.length * ROLES.length);
  });

  it('a route without declared roles stops the start', async () => {
    const u = await makeTestApp({ dialect: 'sqlite' });
    u.app.get('/undeclared', async () => ({ ok: true }));
    await expect(u.app.ready()).rejects.toThrow(/GET \/undeclared declares no roles/);
    await u.testStore.drop();
  });
});
