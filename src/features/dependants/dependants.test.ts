import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, registerHolder, type TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/staff.ts';

let n = 0;
function idNumber(): string {
  n++;
  return `11010120100101${String(process.pid % 100).padStart(2, '0')}${String(n).padStart(2, '0')}`;
}

describe.each(DIALECTS)('dependants and guardians on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
  });
  afterAll(async () => {
    await t.close();
  });

  const req = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('a guardian registers a child, declares and checks in for them, shows and prints their codes; every action is audited', async () => {
    const g = await registerHolder(t.app, { name: 'Wang Fang' });
    const child = { name: 'Wang Xiao Ming', idNumber: idNumber(), dateOfBirth: '2018-03-04', region: 'CN-LX-01', relationship: 'child' };
    const created = await req('POST', '/api/holder/dependants', g.cookie, child);
    expect(created.statusCode).toBe(201);
    const dep = created.json().dependant;
    expect(dep).toMatchObject({ name: 'Wang Xiao Ming', maskedName: 'W** X** Ming', birthYear: 2018, relationship: 'child', guardians: 1, adult: false, timeZone: 'Asia/Shanghai' });
    expect(created.json().assessment.colour).toBe('green');

    const list = (await req('GET', '/api/holder/dependants', g.cookie)).json().dependants;
    expect(list).toHaveLength(1);
    expect(list[0].dependant.id).toBe(dep.id);

    const declared = await req('POST', `/api/holder/dependants/${dep.id}/declarations`, g.cookie, { symptoms: ['fever'], temperatureC: 38.4, placesVisited: [] });
    expect(declared.statusCode).toBe(201);
    expect(declared.json().assessment.colour).toBe('yellow');
    // the guardian's own colour is untouched
    expect((await req('GET', '/api/holder/status', g.cookie)).json().assessment.colour).toBe('green');
    const checkIn = await req('POST', `/api/holder/dependants/${dep.id}/check-ins`, g.cookie, {});
    expect(checkIn.statusCode).toBe(200);
    expect(checkIn.json().status).toBe('stored');

    // the dependant's live code, shown from the guardian's app, scans as the child
    const code = await req('GET', `/api/holder/dependants/${dep.id}/code`, g.cookie);
    expect(code.statusCode).toBe(200);
    const operator = await loginOperator(t.app);
    const verdict = (await t.app.inject({ method: 'POST', url: '/api/checkpoint/verify', headers: { cookie: operator }, payload: { code: code.json().token } })).json();
    expect(verdict).toMatchObject({ ok: true, colour: 'yellow', maskedName: 'W** X** Ming', birthYear: 2018 });
    // a paper code for the child
    const paper = await req('POST', `/api/holder/dependants/${dep.id}/paper-codes`, g.cookie);
    expect(paper.statusCode).toBe(201);
    const pdf = await req('GET', `/api/holder/dependants/${dep.id}/paper-codes/${paper.json().codeId}/print.pdf`, g.cookie);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const actions = await t.deps.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'actor_role'])
      .where('subject_kind', '=', 'holder')
      .where('subject_id', '=', dep.id)
      .orderBy('seq')
      .execute();
    expect(actions.every((a) => a.actor_id === g.holder.id && a.actor_role === 'guardian')).toBe(true);
    expect(actions.map((a) => a.action)).toEqual([
      'guardian.register',
      'guardian.list',
      'guardian.declare',
      'guardian.check_in',
      'guardian.show_code',
      'guardian.print_paper_code',
      'guardian.print_pdf',
    ]);

    // nobody else may act for the child; a dependant cannot log in
    const stranger = await registerHolder(t.app);
    const refused = await req('GET', `/api/holder/dependants/${dep.id}/status`, stranger.cookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_a_guardian');
    expect((await req('POST', `/api/holder/dependants/${dep.id}/declarations`, stranger.cookie, { symptoms: [], placesVisited: [] })).statusCode).toBe(403);
    const depRow = await t.deps.store.db.selectFrom('holders').select(['phone']).where('id', '=', dep.id).executeTakeFirstOrThrow();
    expect((await t.app.inject({ method: 'POST', url: '/api/holder/login', payload: { phone: depRow.phone.slice(0, 32), password: 'anything-at-all' } })).statusCode).toBe(401);
    // a child cannot take over yet
    const early = await req('POST', `/api/holder/dependants/${dep.id}/takeover-code`, g.cookie);
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('not_an_adult');
  });

  it('claiming a dependant linked to someone else: a clear 409, then a request the existing guardian approves; an official confirms another', async () => {
    const first = await registerHolder(t.app, { name: 'Chen Jing' });
    const elder = { name: 'Chen Lao', idNumber: idNumber(), dateOfBirth: '1938-09-09', region: 'CN-LX-01', relationship: 'parent' };
    const dep = (await req('POST', '/api/holder/dependants', first.cookie, elder)).json().dependant;
    const second = await registerHolder(t.app, { name: 'Chen Hui' });
    const before = await t.deps.store.db.selectFrom('holders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const conflict = await req('POST', '/api/holder/dependants', second.cookie, { ...elder, name: 'Chen Lao Ye' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('dependant_already_linked');
    expect(conflict.json().error.message).toContain('/api/holder/dependants/requests');
    const after = await t.deps.store.db.selectFrom('holders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // someone with their own account is not a dependant
    const adult = await registerHolder(t.app);
    const own = await req('POST', '/api/holder/dependants', second.cookie, { ...elder, idNumber: adult.body.idNumber });
    expect(own.json().error.code).toBe('holder_has_own_account');

    // the request: wrong date of birth finds nothing, the right one waits
    expect((await req('POST', '/api/holder/dependants/requests', second.cookie, { idNumber: elder.idNumber, dateOfBirth: '1938-09-10', relationship: 'child' })).statusCode).toBe(404);
    const request = await req('POST', '/api/holder/dependants/requests', second.cookie, { idNumber: elder.idNumber, dateOfBirth: elder.dateOfBirth, relationship: 'child' });
    expect(request.statusCode).toBe(201);
    expect(request.json()).toMatchObject({ status: 'pending', dependantId: dep.id, requesterMaskedName: 'C** Hui' });
    expect((await req('POST', '/api/holder/dependants/requests', second.cookie, { idNumber: elder.idNumber, dateOfBirth: elder.dateOfBirth, relationship: 'child' })).json().error.code).toBe(
      'guardian_request_exists',
    );
    // before approval the requester cannot act
    expect((await req('GET', `/api/holder/dependants/${dep.id}/status`, second.cookie)).statusCode).toBe(403);
    // only the existing guardian sees and decides it
    const incoming = (await req('GET', '/api/holder/dependants/requests', first.cookie)).json().requests;
    expect(incoming.map((r: { id: string }) => r.id)).toEqual([request.json().id]);
    expect((await req('POST', `/api/holder/dependants/requests/${request.json().id}/approve`, second.cookie)).statusCode).toBe(403);
    const approved = await req('POST', `/api/holder/dependants/requests/${request.json().id}/approve`, first.cookie);
    expect(approved.json().status).toBe('active');
    expect((await req('POST', `/api/holder/dependants/requests/${request.json().id}/approve`, first.cookie)).json().error.code).toBe('request_not_pending');
    const both = (await req('GET', `/api/holder/dependants`, second.cookie)).json().dependants;
    expect(both[0].dependant).toMatchObject({ id: dep.id, guardians: 2 });

    // a third person's request, confirmed by an official
    const third = await registerHolder(t.app);
    const r3 = (await req('POST', '/api/holder/dependants/requests', third.cookie, { idNumber: elder.idNumber, dateOfBirth: elder.dateOfBirth, relationship: 'carer' })).json();
    const official = await staffMember(t, 'official');
    const pending = (await req('GET', '/api/official/guardian-requests', official.cookie)).json().requests;
    expect(pending.map((r: { id: string }) => r.id)).toContain(r3.id);
    const confirmed = await req('POST', `/api/official/guardian-requests/${r3.id}/approve`, official.cookie);
    expect(confirmed.json().status).toBe('active');
    const entry = await t.deps.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'guardian_request.approve').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: official.id, subject_id: dep.id });
    expect((await req('GET', `/api/holder/dependants/${dep.id}/status`, third.cookie)).statusCode).toBe(200);

    // the adult dependant takes over their own account: guardians end, they log in
    const code = await req('POST', `/api/holder/dependants/${dep.id}/takeover-code`, first.cookie);
    expect(code.statusCode).toBe(201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/holder/takeover', payload: { code: code.json().code, idNumber: '110101190001019999', phone: '13912340000', password: 'my own password' } });
    expect(bad.json().error.code).toBe('takeover_code_invalid');
    const took = await t.app.inject({ method: 'POST', url: '/api/holder/takeover', payload: { code: code.json().code, idNumber: elder.idNumber, phone: '13912340000', password: 'my own password' } });
    expect(took.statusCode).toBe(200);
    expect(took.json().holder.id).toBe(dep.id);
    const again = await t.app.inject({ method: 'POST', url: '/api/holder/takeover', payload: { code: code.json().code, idNumber: elder.idNumber, phone: '13912340001', password: 'my own password' } });
    expect(again.json().error.code).toBe('takeover_code_invalid');
    const login = await t.app.inject({ method: 'POST', url: '/api/holder/login', payload: { phone: '13912340000', password: 'my own password' } });
    expect(login.statusCode).toBe(200);
    expect((await req('GET', `/api/holder/dependants/${dep.id}/status`, first.cookie)).statusCode).toBe(403);
    expect((await req('GET', '/api/holder/dependants', second.cookie)).json().dependants).toEqual([]);
  });
});
