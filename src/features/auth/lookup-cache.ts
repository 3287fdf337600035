// Short-lived memory of the look-ups every checkpoint request repeats: its session, its staff
// account, the venue it names and whether the account operates that venue. A checkpoint sends
// thousands of scans a minute from one session; without this each scan reads the same four rows
// again (on PostgreSQL, four round trips through the pool).
//
// What it may get wrong, and for how long (HEALTHCODE_AUTH_CACHE_MS, default 2 s):
// - only positive answers are kept: a new venue, or an operator just given a venue, is never refused;
// - a session's expiry is still checked on every request against the store's own expiry time;
// - a log-out on this instance forgets the session at once; a log-out on another instance (or a
//   session deleted in the store) is seen here within the TTL.
// The TTL runs on a monotonic clock: it is a cache's age, not domain time.
import type { VenueTable } from '../../db/schema.ts';
import type { Staff } from '../staff/service.ts';
import { tokenDigest, type SubjectKind } from './sessions.ts';

/** A map whose entries live `ttlMs` and which holds at most `max` entries (the oldest go first). */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export class LookupCache {
  readonly sessions: TtlCache<{ subjectId: string; expiresAt: number }>;
  readonly staff: TtlCache<Staff>;
  readonly venues: TtlCache<VenueTable>;
  readonly operates: TtlCache<true>;

  constructor(ttlMs: number, now?: () => number) {
    this.sessions = new TtlCache(ttlMs, 10_000, now);
    this.staff = new TtlCache(ttlMs, 10_000, now);
    this.venues = new TtlCache(ttlMs, 50_000, now);
    this.operates = new TtlCache(ttlMs, 50_000, now);
  }

  static sessionKey(kind: SubjectKind, token: string): string {
    return `${kind}:${tokenDigest(token)}`;
  }
}
