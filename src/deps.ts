// Everything buildApp needs, passed in by main.ts (or by a test): no singletons.
import type { Config } from './config.ts';
import type { Store } from './db/connect.ts';
import type { KeyRing } from './features/keys/service.ts';
import type { LookupCache } from './features/auth/lookup-cache.ts';
import type { RuleBook } from './features/rules/book.ts';
import type { Clock, Random } from './support/clock.ts';

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly keys: KeyRing;
  /** HMAC key for ID document numbers */
  readonly idHashKey: Buffer;
  /** every published ruleset; the one in force is picked by time */
  readonly rules: RuleBook;
  /** pino options, or false for no logs (tests) */
  readonly logger: boolean | Record<string, unknown>;
  /** folder of the built web apps (dist/web), or null to serve the API only */
  readonly webRoot: string | null;
  /** set by buildApp: the app's short-lived look-up memory (src/features/auth/lookup-cache.ts) */
  readonly lookups?: LookupCache;
}
