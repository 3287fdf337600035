import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { signTrustList, trustListKeyFor, type TrustListDoc } from '../../core/token/index.ts';
import type { AppDeps } from '../../deps.ts';

const TrustListResponse = Type.Object({
  jws: Type.String({ description: 'compact JWS (ES256) whose payload is the trust list document' }),
  trustList: Type.Object({
    version: Type.Literal(1),
    issuer: Type.String(),
    issuedAt: Type.String(),
    expiresAt: Type.String(),
    keys: Type.Array(
      Type.Object({
        kid: Type.String(),
        alg: Type.Literal('ES256'),
        publicKeySpki: Type.String(),
        region: Type.String(),
        validFrom: Type.String(),
        validUntil: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
});

const Regions = Type.Object({ regions: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameZh: Type.String() })) });

/** Anyone may read these: /api/public/*. */
export async function publicRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/trust-list',
    { schema: { tags: ['public'], summary: 'The signed list of public keys that verify codes, with its expiry', response: { 200: TrustListResponse } } },
    async () => {
      const now = deps.clock.now();
      const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const doc: TrustListDoc = {
        version: 1,
        issuer: deps.keys.region,
        issuedAt: issuedAt.toISOString(),
        expiresAt: new Date(issuedAt.getTime() + deps.config.trustListHours * 3_600_000).toISOString(),
        keys: deps.keys.trusted.map((k) =>
          trustListKeyFor(k, { region: k.region ?? deps.keys.region, validFrom: k.validFrom ?? new Date(0), validUntil: k.validUntil ?? null }),
        ),
      };
      return { jws: signTrustList(doc, deps.keys.active), trustList: doc };
    },
  );

  app.get('/regions', { schema: { tags: ['public'], summary: 'Regions of this deployment', response: { 200: Regions } } }, async () => {
    const rows = await deps.store.db.selectFrom('regions').selectAll().orderBy('code').execute();
    return { regions: rows.map((r) => ({ code: r.code, name: r.name_en, nameZh: r.name_zh })) };
  });
}
