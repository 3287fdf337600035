import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, LocalText } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { holderOf } from '../auth/guard.ts';

const Message = Type.Object({ id: Type.String(), at: Type.String(), colour: Type.String(), title: LocalText, body: LocalText, read: Type.Boolean() });

/** Registered inside the holder audience: the in-app inbox. */
export async function inboxRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.get(
    '/inbox',
    { schema: { tags: ['holder'], summary: 'Messages about your colour, newest first', response: { 200: Type.Object({ messages: Type.Array(Message), unread: Type.Integer() }), 401: ErrorBody } } },
    async (req) => {
      const rows = await db.selectFrom('inbox_messages').selectAll().where('holder_id', '=', holderOf(req).id).orderBy('at', 'desc').limit(100).execute();
      return {
        messages: rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), colour: r.colour, title: JSON.parse(r.title), body: JSON.parse(r.body), read: r.read_at !== null })),
        unread: rows.filter((r) => r.read_at === null).length,
      };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/inbox/:id/read',
    { schema: { tags: ['holder'], summary: 'Mark a message read', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), 401: ErrorBody, 404: ErrorBody } } },
    async (req, reply) => {
      const res = await db
        .updateTable('inbox_messages')
        .set({ read_at: deps.clock.now().getTime() })
        .where('id', '=', req.params.id)
        .where('holder_id', '=', holderOf(req).id) // never another holder's message
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new DomainError('not_found', `you have no message ${JSON.stringify(req.params.id)}`);
      return reply.code(204).send();
    },
  );
}
