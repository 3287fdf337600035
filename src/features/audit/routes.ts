import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import { AlarmView, AuditEntryView, AuditVerifyView } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { staffOf } from '../auth/guard.ts';
import { listAlarms, presentAlarm } from './alarms.ts';
import { rowToAuditRecord, verifyAuditLog } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The auditors' audience: /api/audit/* — the log, its verification, and the alarms. */
export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;

  // query strings are not coerced (ajv coerceTypes is off): numbers and flags arrive as text
  app.get<{ Querystring: { after?: string; limit?: string; subjectId?: string; actorId?: string } }>(
    '/entries',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit-log entries in order (page with after = the last seq seen)',
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'the last seq seen' })),
            limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$', description: '1 to 1000 (default 200)' })),
            subjectId: Type.Optional(Type.String({ maxLength: 64 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntryView) }), ...errors },
      },
    },
    async (req) => {
      let q = db.selectFrom('audit_log').selectAll().where('seq', '>', Number(req.query.after ?? 0)).orderBy('seq').limit(Number(req.query.limit ?? 200));
      if (req.query.subjectId) q = q.where('subject_id', '=', req.query.subjectId);
      if (req.query.actorId) q = q.where('actor_id', '=', req.query.actorId);
      const rows = await q.execute();
      return {
        entries: rows.map((r) => {
          const a = rowToAuditRecord(r);
          return { ...a, at: a.at.toISOString() };
        }),
      };
    },
  );

  app.get(
    '/verify',
    { schema: { tags: ['audit'], summary: 'Recompute the hash chain and check the published heads; names the first broken entry', response: { 200: AuditVerifyView, ...errors } } },
    async () => verifyAuditLog(db),
  );

  app.get<{ Querystring: { open?: 'true' | 'false' } }>(
    '/alarms',
    {
      schema: {
        tags: ['audit'],
        summary: 'Abuse alarms, newest first',
        querystring: Type.Object({ open: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only the unacknowledged' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ alarms: Type.Array(AlarmView) }), ...errors },
      },
    },
    async (req) => ({ alarms: await listAlarms(db, { unacknowledgedOnly: req.query.open === 'true', limit: 500 }) }),
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/alarms/:id/acknowledge',
    {
      schema: {
        tags: ['audit'],
        summary: 'Acknowledge an alarm with a note of what was done',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ note: Type.String({ minLength: 5, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ alarm: AlarmView }), ...errors },
      },
    },
    async (req) => {
      const auditor = staffOf(req);
      const now = deps.clock.now().getTime();
      const r = await db
        .updateTable('alarms')
        .set({ acknowledged_by: auditor.id, acknowledged_at: now, ack_note: req.body.note })
        .where('id', '=', req.params.id)
        .where('acknowledged_by', 'is', null)
        .executeTakeFirst();
      const row = await db.selectFrom('alarms').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', `no alarm ${JSON.stringify(req.params.id)}`);
      if (Number(r.numUpdatedRows) !== 1) throw new DomainError('invalid_request', `alarm ${req.params.id} was already acknowledged`);
      req.auditSubject = { kind: 'alarm', id: row.id };
      return { alarm: presentAlarm(row) };
    },
  );
}
