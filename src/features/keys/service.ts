// The key ring: the active signing key, every key still trusted, and the server's id-hash key.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  createTrustStore,
  exportSigningKey,
  generateSigningKey,
  importSigningKey,
  trustedKeyFor,
  type SigningKey,
  type TrustStore,
  type TrustedKey,
} from '../../core/token/index.ts';
import type { Random } from '../../support/clock.ts';
import { getSecret, insertSecretIfAbsent, insertSigningKey, listSigningKeys } from './repository.ts';

export interface KeyRing {
  /** signs new codes and the trust list */
  readonly active: SigningKey;
  readonly region: string;
  readonly trusted: readonly TrustedKey[];
  readonly trust: TrustStore;
}

/** Creates a signing key when there is no active one (or always, with rotate). */
export async function initKeys(
  db: Kysely<Database>,
  opts: { region: string; now: Date; rotate?: boolean },
): Promise<{ created: boolean; kid: string }> {
  const existing = (await listSigningKeys(db)).find((k) => k.active === 1);
  if (existing && !opts.rotate) return { created: false, kid: existing.kid };
  const key = generateSigningKey();
  const pem = exportSigningKey(key);
  await insertSigningKey(db, {
    kid: key.kid,
    alg: 'ES256',
    public_key_pem: pem.publicKeyPem,
    private_key_pem: pem.privateKeyPem,
    region: opts.region,
    created_at: opts.now.getTime(),
    active: 1,
    retired_at: null,
  });
  return { created: true, kid: key.kid };
}

/** The key ring from the store, or null when `keys init` has not run. */
export async function loadKeyRing(db: Kysely<Database>): Promise<KeyRing | null> {
  const rows = await listSigningKeys(db);
  const activeRow = rows.find((r) => r.active === 1);
  if (!activeRow) return null;
  return keyRingFrom(
    importSigningKey({ privateKeyPem: activeRow.private_key_pem, publicKeyPem: activeRow.public_key_pem, kid: activeRow.kid }),
    activeRow.region,
    rows
      .filter((r) => r.active !== 1)
      .map((r) => ({ kid: r.kid, publicKeyPem: r.public_key_pem, region: r.region, validFrom: r.created_at, validUntil: r.retired_at })),
    new Date(activeRow.created_at),
  );
}

/** Builds a ring from an active key (tests pass a fixed one) and any retired keys still trusted. */
export function keyRingFrom(
  active: SigningKey,
  region: string,
  retired: { kid: string; publicKeyPem: string; region: string; validFrom: number; validUntil: number | null }[] = [],
  activeFrom?: Date,
): KeyRing {
  const trusted: TrustedKey[] = [
    trustedKeyFor(active, { alg: 'ES256', region, ...(activeFrom ? { validFrom: activeFrom } : {}) }),
    ...retired.map((r) =>
      trustedKeyFor(
        { kid: r.kid, publicKey: importPublic(r.publicKeyPem) },
        { alg: 'ES256', region: r.region, validFrom: new Date(r.validFrom), ...(r.validUntil !== null ? { validUntil: new Date(r.validUntil) } : {}) },
      ),
    ),
  ];
  return Object.freeze({ active, region, trusted, trust: createTrustStore(trusted) });
}

function importPublic(pem: string): KeyObject {
  return createPublicKey({ key: pem, format: 'pem' });
}

const ID_HASH_KEY = 'id_hash_key';

/** The key for hashing ID document numbers; created once, kept in the store. */
export async function ensureIdHashKey(db: Kysely<Database>, random: Random, now: Date): Promise<Buffer> {
  await insertSecretIfAbsent(db, ID_HASH_KEY, random.bytes(32).toString('base64'), now.getTime());
  const value = await getSecret(db, ID_HASH_KEY);
  if (value === undefined) throw new Error('id hash key missing after insert');
  return Buffer.from(value, 'base64');
}
