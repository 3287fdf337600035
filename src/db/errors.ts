// Driver errors, recognised the same way for both stores.

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND',
  '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004', '53100', '25006',
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DBMOVED',
]);

/** True when the store cannot take the request now (down, full, read-only): answer 503, retry later. */
export function isStoreUnavailable(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (typeof err?.code === 'string' && (UNAVAILABLE_CODES.has(err.code) || err.code.startsWith('SQLITE_IOERR'))) return true;
  const msg = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|is not currently accepting connections|The database connection is not open|driver has already been destroyed|Cannot use a pool after calling end/i.test(msg);
}

export type StoreFailureKind = 'full' | 'read_only' | 'unavailable';

/** Which way the store failed, for a clear 503: out of space, read-only, or not answering. */
export function storeFailureKind(e: unknown): StoreFailureKind | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === '53100') return 'full';
  if (code === '25006' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))) return 'read_only';
  return isStoreUnavailable(e) ? 'unavailable' : null;
}
