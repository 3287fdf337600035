// GET /api/public/revocations — the signed revocation list checkpoints cache beside the trust list.
//
// A compact JWS like the trust list (ES256, raw r||s, signed by the active key, which the trust list
// carries), typ "healthcode-revocation-list+jws", whose document is
//   { version: 1, issuer, issuedAt, expiresAt, revoked: [code id hex, …] }
//
// What is revoked today: codes that are still unexpired but whose colour is no longer the holder's
// colour (a green code issued at 10:00 to someone who turned red at 10:02 is revoked until it
// expires). Paper codes are not revoked by a colour change (a checkpoint online shows the current
// colour, one offline warns "colour as of"); they are revoked explicitly, by a reprint (issue 9,
// service.ts). A code that expired is never listed: expiry already refuses it, so the list stays short.
import { sign } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { currentRevocations } from './service.ts';

export const REVOCATION_LIST_TYP = 'healthcode-revocation-list+jws';
/** A checkpoint warns when its cached revocation list is older than this (the list's expiresAt). */
export const REVOCATION_LIST_HOURS = 24;
/** Safety cap: a list over this many ids is cut (and says so with `truncated`). */
const MAX_REVOKED = 100_000;

const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

export async function revocationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/revocations',
    {
      schema: {
        tags: ['public'],
        summary: 'The signed list of revoked, still unexpired code ids, with its expiry',
        response: {
          200: Type.Object({
            jws: Type.String({ description: 'compact JWS (ES256) signed by a key of the trust list' }),
            revocationList: Type.Object({
              version: Type.Literal(1),
              issuer: Type.String(),
              issuedAt: Type.String(),
              expiresAt: Type.String(),
              revoked: Type.Array(Type.String()),
              truncated: Type.Boolean(),
            }),
          }),
        },
      },
    },
    async () => {
      const now = deps.clock.now();
      const t = now.getTime();
      const rows = await deps.store.db
        .selectFrom('issued_codes')
        .innerJoin('holder_status', 'holder_status.holder_id', 'issued_codes.holder_id')
        .select('issued_codes.code_id')
        .where('issued_codes.expires_at', '>=', t)
        .whereRef('issued_codes.colour', '<>', 'holder_status.colour')
        .where('issued_codes.kind', '=', 'live')
        .orderBy('issued_codes.code_id')
        .limit(MAX_REVOKED + 1)
        .execute();
      const explicit = await currentRevocations(deps.store.db, now);
      const ids = [...new Set([...explicit, ...rows.map((r) => r.code_id)])];
      const issuedAt = new Date(Math.floor(t / 1000) * 1000);
      const doc = {
        version: 1 as const,
        issuer: deps.keys.region,
        issuedAt: issuedAt.toISOString(),
        expiresAt: new Date(issuedAt.getTime() + REVOCATION_LIST_HOURS * 3_600_000).toISOString(),
        revoked: ids.slice(0, MAX_REVOKED),
        truncated: ids.length > MAX_REVOKED,
      };
      const key = deps.keys.active;
      const input = `${b64url(JSON.stringify({ alg: 'ES256', kid: key.kid, typ: REVOCATION_LIST_TYP }))}.${b64url(JSON.stringify(doc))}`;
      const signature = sign('sha256', Buffer.from(input, 'ascii'), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      return { jws: `${input}.${b64url(signature)}`, revocationList: doc };
    },
  );
}
